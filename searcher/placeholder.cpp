// Searcher library: see searcher.h.
