package io.orchide.model.message;

import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeHelloTest {
    private final NodeHello hello = new NodeHello("n1", Arch.AARCH64, 4, 8192, List.of("qemu", "solo5-hvt"),
            "[{\"class\":\"npu\"}]", "[]", "0.1.0");

    @Test
    void whatTheNodeSaysIsWhatGroundReads() throws Exception {
        assertThat(NodeHello.decode(hello.encode())).isEqualTo(hello);
    }

    @Test
    void aFieldANewerNodeAddsIsIgnored() throws Exception {
        String newer = hello.encode().replaceFirst("\\{", "{\"tenants\":[\"a\"],");
        assertThat(NodeHello.decode(newer)).isEqualTo(hello);
    }

    @Test
    void everyFieldAtFaultIsNamedWithItsValue() {
        String bad = "{\"node\":\"N_1\",\"arch\":\"sparc\",\"cores\":0,\"memoryMib\":\"lots\",\"monitors\":[\"\"],"
                + "\"devices\":{},\"version\":\"0.1.0\"}";
        assertThatThrownBy(() -> NodeHello.decode(bad)).isInstanceOfSatisfying(MessageException.class, e -> {
            assertThat(e.errors()).extracting(FieldError::path)
                    .containsExactly("node", "arch", "cores", "memoryMib", "monitors[0]", "devices");
            assertThat(e.errors()).extracting(FieldError::value).contains("N_1", "sparc", "0", "\"lots\"");
            assertThat(e.getMessage()).startsWith("hello: ");
        });
    }

    @Test
    void infoThatIsNotAnObjectIsRefusedWhole() {
        assertThatThrownBy(() -> NodeHello.decode("[]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> NodeHello.decode(null)).isInstanceOf(MessageException.class);
    }
}
