// symcc.cc - the C++ workload of the symbolization tests: namespaces, an
// anonymous namespace, class templates, member functions, operators,
// lambdas and the standard library, so that demangling is exercised.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace geo {

template <typename T> struct Vec {
	T x, y;
	Vec operator+(const Vec &o) const { return {x + o.x, y + o.y}; }
	T dot(const Vec &o) const { return x * o.x + y * o.y; }
};

class Field {
public:
	explicit Field(int n) : pts_(n) {}
	void fill(uint32_t seed);
	double energy() const;

private:
	std::vector<Vec<double>> pts_;
};

void Field::fill(uint32_t seed)
{
	for (auto &p : pts_) {
		seed = seed * 1103515245u + 12345u;
		p.x = (seed >> 8) % 1000 / 10.0;
		seed = seed * 1103515245u + 12345u;
		p.y = (seed >> 8) % 1000 / 10.0;
	}
}

double Field::energy() const
{
	double e = 0;
	for (size_t i = 0; i < pts_.size(); i++)
		for (size_t j = i + 1; j < pts_.size(); j++)
			e += (pts_[i] + pts_[j]).dot(pts_[j]);
	return e;
}

} // namespace geo

namespace {

template <typename K> std::map<K, int> histogram(const std::vector<K> &v)
{
	std::map<K, int> h;
	for (const K &k : v)
		h[k]++;
	return h;
}

std::vector<std::string> words(uint32_t seed, int n)
{
	std::vector<std::string> w;
	for (int i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		w.push_back("w" + std::to_string(seed % 97));
	}
	return w;
}

} // namespace

static volatile double sink;

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
	uint32_t round = 0;
	while (std::chrono::steady_clock::now() < end) {
		geo::Field f(300);
		f.fill(round);
		sink = sink + f.energy();
		auto w = words(round, 2000);
		std::sort(w.begin(), w.end(), [](const std::string &a, const std::string &b) { return a > b; });
		sink = sink + histogram(w).size();
		round++;
	}
	std::printf("%u rounds\n", (unsigned)round);
	return 0;
}
