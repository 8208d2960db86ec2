/*
 * svgpan.h - the pan-and-zoom script of call graph SVGs (render/svgpan.c).
 * Private to render/.
 */
#ifndef CPROF_RENDER_SVGPAN_H
#define CPROF_RENDER_SVGPAN_H

/* ECMAScript source, for a <script> element's CDATA section. */
extern const char cprof_svgpan_js[];

#endif
