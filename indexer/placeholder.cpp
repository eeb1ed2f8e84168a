// Indexer library: see indexer.h.
