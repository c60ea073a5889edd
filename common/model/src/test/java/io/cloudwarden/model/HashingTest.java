package io.cloudwarden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HashingTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2

    @Test
    void sha256IsTheStandardDigestAndThePerThreadDigestStartsAfreshEachTime() {
        assertThat(Hashing.sha256Hex("abc")).isEqualTo(ABC);
        assertThat(Hashing.sha256Hex("other")).isNotEqualTo(ABC);
        assertThat(Hashing.sha256Hex("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(ABC);
        assertThat(Hashing.sha256HexPrefix("abc", 16)).isEqualTo(ABC.substring(0, 16));
        assertThat(Hashing.sha256HexPrefix("abc", 64)).isEqualTo(ABC);
        assertThat(Hashing.sha256HexPrefix("abc", 0)).isEmpty();
    }

    @Test
    void threadsHashingAtOnceGetTheSameDigests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!Hashing.sha256Hex("abc").equals(ABC)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPrefixIsAWholeNumberOfBytes() {
        assertThatThrownBy(() -> Hashing.sha256HexPrefix("abc", 15)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hexDigits");
        assertThatThrownBy(() -> Hashing.sha256HexPrefix("abc", 66)).isInstanceOf(IllegalArgumentException.class);
    }
}
