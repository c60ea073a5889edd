package io.cloudwarden.engine.spi;

/** What a descriptor supports: listing a shard, fetching one resource by ref (event-driven runs). */
public enum Capability { LIST, FETCH }
