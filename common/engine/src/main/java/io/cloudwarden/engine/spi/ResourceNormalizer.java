package io.cloudwarden.engine.spi;

/** A pure function: native item → name, tags, attributes. The framework fills ref, raw and observedAt. */
@FunctionalInterface
public interface ResourceNormalizer {
    Normalized normalize(NativeItem item);
}
