package io.cloudwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Deep copies of JSON trees that take about a third of the memory of {@link JsonNode#deepCopy()}: what
 * {@link Resource} keeps of its {@code attributes} and {@code raw}.
 *
 * <p>Decision (issue 18, 10,000 buckets): a scan holds every resource's trees until it has written, evaluated and
 * output them, and {@code raw} is ~13 objects a bucket. A Jackson {@link ObjectNode} keeps its fields in a
 * {@link LinkedHashMap}: 56 bytes for the map, a 16-slot table (80 bytes) and 40 bytes an entry, i.e. ~260 bytes
 * for an object of three fields. The copy gives each object node a {@link SmallMap} instead (two arrays sized to
 * the fields: ~90 bytes for three) and each array node a list sized to its elements; value nodes are immutable and
 * shared. The copy is the same tree for every reader ({@code equals}, iteration order, serialization); it stays
 * mutable like any {@code ObjectNode} (the model's trees are read-only by contract, not by type). Objects of more
 * than {@link #SMALL} fields get a {@link LinkedHashMap} sized to them, so a lookup is never a long scan.
 */
public final class CompactTrees {
    /** Objects up to this many fields keep them in a {@link SmallMap} (a lookup compares at most this many keys). */
    static final int SMALL = 16;

    private CompactTrees() {
    }

    /** A deep copy of {@code node} (null stays null). */
    public static JsonNode copy(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node instanceof ObjectNode o) {
            return copy(o);
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>(a.size());
            for (JsonNode item : a) {
                items.add(copy(item));
            }
            return new ArrayNode(JsonNodeFactory.instance, items);
        }
        return node.deepCopy(); // value nodes: deepCopy returns the node itself
    }

    /** A deep copy of {@code node} (null stays null). */
    public static ObjectNode copy(ObjectNode node) {
        if (node == null) {
            return null;
        }
        int n = node.size();
        Map<String, JsonNode> fields = n <= SMALL ? new SmallMap(n) : new LinkedHashMap<>(n * 4 / 3 + 1);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.put(e.getKey(), copy(e.getValue()));
        }
        return new ObjectNode(JsonNodeFactory.instance, fields);
    }

    /**
     * An insertion-ordered map on two arrays: lookups compare keys one after another (objects of at most
     * {@link #SMALL} fields), {@code put} of a new key appends, {@code remove} closes the gap. Null keys are not
     * allowed (JSON field names are never null); null values are kept as given.
     */
    static final class SmallMap extends AbstractMap<String, JsonNode> {
        private String[] keys;
        private JsonNode[] values;
        private int size;

        SmallMap(int capacity) {
            keys = new String[Math.max(capacity, 1)];
            values = new JsonNode[keys.length];
        }

        private int indexOf(Object key) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public JsonNode get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            if (key == null) {
                throw new NullPointerException("key");
            }
            int i = indexOf(key);
            if (i >= 0) {
                JsonNode old = values[i];
                values[i] = value;
                return old;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
            return null;
        }

        @Override
        public JsonNode remove(Object key) {
            int i = indexOf(key);
            if (i < 0) {
                return null;
            }
            JsonNode old = values[i];
            removeAt(i);
            return old;
        }

        private void removeAt(int i) {
            System.arraycopy(keys, i + 1, keys, i, size - i - 1);
            System.arraycopy(values, i + 1, values, i, size - i - 1);
            size--;
            keys[size] = null;
            values[size] = null;
        }

        @Override
        public void clear() {
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(values, 0, size, null);
            size = 0;
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Map.Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;
                        private int last = -1;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Map.Entry<String, JsonNode> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            last = next++;
                            return new Field(last);
                        }

                        @Override
                        public void remove() {
                            if (last < 0) {
                                throw new IllegalStateException();
                            }
                            removeAt(last);
                            next = last;
                            last = -1;
                        }
                    };
                }
            };
        }

        /** A field as an entry; {@code setValue} writes through (valid until the map's fields are removed). */
        private final class Field implements Map.Entry<String, JsonNode> {
            private final int index;

            Field(int index) {
                this.index = index;
            }

            @Override
            public String getKey() {
                return keys[index];
            }

            @Override
            public JsonNode getValue() {
                return values[index];
            }

            @Override
            public JsonNode setValue(JsonNode value) {
                JsonNode old = values[index];
                values[index] = value;
                return old;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Map.Entry<?, ?> e && getKey().equals(e.getKey())
                        && java.util.Objects.equals(getValue(), e.getValue());
            }

            @Override
            public int hashCode() {
                return getKey().hashCode() ^ java.util.Objects.hashCode(getValue());
            }

            @Override
            public String toString() {
                return getKey() + "=" + getValue();
            }
        }
    }
}
