package dev.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stored payload written as the JSON value it is, or as a string when it is not one JSON value. */
class JobJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String written(String stored) throws Exception {
        return JSON.writeValueAsString(Map.of("payload", JobJson.payload(stored)));
    }

    @Test
    void aJsonPayloadIsWrittenAsItsValueWithNumbersAsStored() throws Exception {
        assertThat(
                        written(
                                "{\"n\": 0.10000000000000000001, \"big\": 123456789012345678901234567890, \"a\": [true, null]}"))
                .isEqualTo(
                        "{\"payload\":{\"n\":0.10000000000000000001,\"big\":123456789012345678901234567890,\"a\":[true,null]}}");
        assertThat(written("42")).isEqualTo("{\"payload\":42}");
        assertThat(written("\"text\"")).isEqualTo("{\"payload\":\"text\"}");
    }

    @Test
    void aSecretIsMaskedAndAPayloadThatIsNoJsonStaysAString() throws Exception {
        assertThat(written("{\"password\": \"hunter2-hunter2\"}")).isEqualTo("{\"payload\":{\"password\":\"***\"}}");
        assertThat(written("not json {")).isEqualTo("{\"payload\":\"not json {\"}");
        assertThat(written("{} {}")).as("two values are not one").isEqualTo("{\"payload\":\"{} {}\"}");
        assertThat(JobJson.payload(null)).isNull();
    }
}
