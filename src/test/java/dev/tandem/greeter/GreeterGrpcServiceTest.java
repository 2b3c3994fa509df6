package dev.tandem.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.TestChannels;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code helloworld.Greeter} over gRPC, as the quick-start clients call it; also run against the
 * packaged application by {@link GreeterGrpcServiceIT}.
 */
@QuarkusTest
class GreeterGrpcServiceTest {

    GreeterGrpc.GreeterBlockingStub greeter;

    @BeforeEach
    void stub() {
        greeter = GreeterGrpc.newBlockingStub(TestChannels.app());
    }

    @Test
    void saysHelloWorld() {
        assertEquals("Hello World", greeter.sayHello(HelloRequest.newBuilder().setName("World").build()).getMessage());
    }
}
