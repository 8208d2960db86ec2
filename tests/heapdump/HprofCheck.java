/*
 * HprofCheck.java - reads cprof heapdump -hprof output with VisualVM's
 * heap library (Debian's visualvm package), the reader VisualVM's heap
 * walker uses, and checks what it finds against the figures the Go
 * program built (testdata/heapdump/small.expect or a fresh one):
 *
 *   java -cp <visualvm heap jar>:. HprofCheck FILE.hprof EXPECT OBJECTS GOROUTINES UNREACHABLE
 *
 * VisualVM computes retained sizes itself (its own dominators); objects
 * keep their Go sizes, byte[] and Object[] get an array header of 24
 * bytes. Prints what differs and exits 1, or exits 0.
 */
import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.graalvm.visualvm.lib.jfluid.heap.*;

public class HprofCheck {
    static final long ARRAY_HEADER = 24;
    static List<String> bad = new ArrayList<>();

    static void want(boolean ok, String what) {
        if (!ok)
            bad.add(what);
    }

    public static void main(String[] a) throws Exception {
        Heap h = HeapFactory.createHeap(new File(a[0]));
        long objects = Long.parseLong(a[2]), goroutines = Long.parseLong(a[3]), unreachable = Long.parseLong(a[4]);
        HeapSummary s = h.getSummary();
        want(s.getTotalLiveInstances() == objects + goroutines,
             "instances " + s.getTotalLiveInstances() + ", want " + objects + " objects + " + goroutines + " goroutines");
        JavaClass globals = h.getJavaClassByName("go.globals");
        want(globals != null, "no class go.globals");
        long noRoot = 0;
        for (Iterator<Instance> it = h.getAllInstancesIterator(); it.hasNext();) {
            Instance i = it.next();
            /* class objects aside: a class whose objects are all garbage is unreachable too */
            if (!i.isGCRoot() && i.getNearestGCRootPointer() == null && !i.getJavaClass().getName().equals("java.lang.Class"))
                noRoot++;
        }
        want(noRoot == unreachable, "instances without a path to a root " + noRoot + ", want " + unreachable);
        try (BufferedReader r = new BufferedReader(new FileReader(a[1]))) {
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.split(" ");
                String kind = f[0], name = f[1];
                long bytes = Long.parseLong(f[3]);
                if (kind.equals("global")) {
                    Object v = globals == null ? null : globals.getValueOfStaticField(name);
                    want(v instanceof Instance && ((Instance) v).getRetainedSize() == bytes,
                         "global " + name + " retains " + (v instanceof Instance ? ((Instance) v).getRetainedSize() : "nothing") + ", want " + bytes);
                } else if (kind.equals("stack")) {
                    boolean found = false;
                    for (GCRoot g : h.getGCRoots()) {
                        if (!(g instanceof JavaFrameGCRoot))
                            continue;
                        JavaFrameGCRoot fr = (JavaFrameGCRoot) g;
                        StackTraceElement[] st = fr.getThreadGCRoot().getStackTrace();
                        if (st != null && fr.getFrameNumber() < st.length && st[fr.getFrameNumber()].getMethodName().equals(name)
                            && g.getInstance().getRetainedSize() == bytes + ARRAY_HEADER)
                            found = true;
                    }
                    want(found, "no frame root of " + name + " retaining " + bytes + " (+ the array header)");
                } else if (kind.equals("finalizer")) {
                    boolean found = false;
                    for (GCRoot g : h.getGCRoots())
                        if (g.getKind().equals(GCRoot.UNKNOWN) && g.getInstance().getRetainedSize() == bytes + ARRAY_HEADER)
                            found = true;
                    want(found, "no unknown root (the finalizer's) retaining " + bytes + " (+ the array header)");
                }
            }
        }
        for (String b : bad)
            System.out.println("  " + b);
        System.exit(bad.isEmpty() ? 0 : 1);
    }
}
