package dev.tandem.protocol.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * gzip on the REST facade over real HTTP/1.1: responses for clients that accept it (whole bodies over
 * {@code tandem.transcoding.gzip-min-size}, streams flushed per message), gzip request bodies with the
 * size limit on the inflated size, and other codings refused.
 */
@QuarkusTest
class CompressionTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    @TestHTTPResource("/")
    URL server;

    @Test
    void aLargeBodyIsGzippedForAClientThatAcceptsIt() throws Exception {
        for (int i = 0; i < 8; i++) { // so that the list of all users is well over 1 KiB
            assertEquals(201, send("POST", "/v1/users", Map.of("Content-Type", "application/json"),
                    json("{\"firstName\":\"Gzip\",\"lastName\":\"Padding\",\"email\":\"" + UUID.randomUUID() + "@example.com\"}")).statusCode());
        }
        HttpResponse<byte[]> plain = send("GET", "/v1/users:all", Map.of(), null);
        assertTrue(plain.body().length > 1024, "the list is " + plain.body().length + " bytes");
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("Accept-Encoding", plain.headers().firstValue("Vary").orElseThrow());
        for (String accept : List.of("gzip", "br;q=1.0, gzip;q=0.8, *;q=0.1", "*")) {
            HttpResponse<byte[]> gz = send("GET", "/v1/users:all", Map.of("Accept-Encoding", accept), null);
            assertEquals(200, gz.statusCode());
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow(), accept);
            assertEquals("Accept-Encoding", gz.headers().firstValue("Vary").orElseThrow());
            assertEquals(gz.body().length, Integer.parseInt(gz.headers().firstValue("Content-Length").orElseThrow()));
            assertTrue(gz.body().length < plain.body().length / 2, gz.body().length + " bytes");
            assertEquals(new String(plain.body(), StandardCharsets.UTF_8), gunzip(gz.body()));
        }
        HttpResponse<byte[]> refused = send("GET", "/v1/users:all", Map.of("Accept-Encoding", "gzip;q=0, identity"), null);
        assertTrue(refused.headers().firstValue("Content-Encoding").isEmpty());
        HttpResponse<byte[]> head = send("HEAD", "/v1/users:all", Map.of("Accept-Encoding", "gzip"), null);
        assertEquals("gzip", head.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(0, head.body().length);
    }

    @Test
    void aSmallBodyIsNotCompressed() throws Exception {
        HttpResponse<byte[]> small = send("GET", "/v1/items/1", Map.of("Accept-Encoding", "gzip"), null);
        assertEquals(200, small.statusCode());
        assertTrue(small.headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(small.headers().firstValue("Vary").isEmpty());
        assertTrue(new String(small.body(), StandardCharsets.UTF_8).contains("pencil"));
    }

    /**
     * Each NDJSON message is its own HTTP chunk, and each chunk inflates to whole lines: the stream is
     * flushed per message, so a client reads every message as it comes, not when the stream ends.
     */
    @Test
    void aStreamIsGzippedAndFlushedPerMessage() throws Exception {
        String plain = new String(send("GET", "/v1/orders:export", Map.of(), null).body(), StandardCharsets.UTF_8);
        List<byte[]> chunks = chunks("/v1/orders:export", "gzip");
        assertTrue(chunks.size() >= 4, chunks.size() + " chunks");
        Inflater inflater = new Inflater(true);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            int from = i == 0 ? 10 : 0; // the gzip member header
            if (i == chunks.size() - 1) {
                continue; // the deflate end and the gzip trailer
            }
            inflater.setInput(c, from, c.length - from);
            byte[] out = new byte[64 * 1024];
            int n = inflater.inflate(out);
            String text = new String(out, 0, n, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("{\"result\":") && text.endsWith("}\n"), "chunk " + i + " inflates to " + text);
            all.append(text);
        }
        assertEquals(plain, all.toString());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            whole.write(c);
        }
        assertEquals(plain, gunzip(whole.toByteArray()), "one valid gzip member");
    }

    @Test
    void aGzipRequestBodyIsInflated() throws Exception {
        String name = "gzipped " + UUID.randomUUID();
        HttpResponse<byte[]> created = send("POST", "/v1/items",
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), gzip(json("{\"name\":\"" + name + "\"}")));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
        assertTrue(new String(created.body(), StandardCharsets.UTF_8).contains(name));
    }

    @Test
    void theSizeLimitAppliesToTheInflatedBody() throws Exception {
        // 2 MiB of JSON whitespace: about 2 KiB gzipped, over the 1 MiB limit inflated
        byte[] bomb = gzip(json("{\"name\":\"bomb\"" + " ".repeat(2 << 20) + "}"));
        assertTrue(bomb.length < 10_000, bomb.length + " bytes");
        HttpResponse<byte[]> r = send("POST", "/v1/items",
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), bomb);
        assertEquals(413, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"code\":8"));
    }

    @Test
    void corruptGzipIs400AndOtherCodingsAre415() throws Exception {
        HttpResponse<byte[]> corrupt = send("POST", "/v1/items",
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), json("{\"name\":\"not gzip\"}"));
        assertEquals(400, corrupt.statusCode());
        HttpResponse<byte[]> br = send("POST", "/v1/items",
                Map.of("Content-Type", "application/json", "Content-Encoding", "br"), json("{\"name\":\"x\"}"));
        assertEquals(415, br.statusCode());
        assertEquals("gzip, identity", br.headers().firstValue("Accept-Encoding").orElseThrow());
    }

    /**
     * gRPC: a request compressed with {@code grpc-encoding: gzip} (grpc-java's own gzip) is read and
     * answered gzip-compressed, as grpc-go answers with the request's compressor; an uncompressed
     * request is answered uncompressed.
     */
    @Test
    void grpcGzipRequestsAreAcceptedAndAnsweredCompressed() {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var users = dev.tandem.api.user.v1.UserServiceGrpc.newBlockingStub(dev.tandem.TestChannels.app())
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        var request = dev.tandem.api.user.v1.GetUserRequest.newBuilder().setId(1).build();

        assertEquals("Petar", users.withCompression("gzip").getUserById(request).getUser().getFirstName());
        assertEquals("gzip", headers.get().get(GRPC_ENCODING), headers.get()::toString);

        assertEquals("Petar", users.getUserById(request).getUser().getFirstName());
        assertNull(headers.get().get(GRPC_ENCODING), headers.get()::toString);
    }

    private static final Metadata.Key<String> GRPC_ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The HTTP/1.1 chunks of a chunked response, as the server framed them, over a raw socket. */
    private List<byte[]> chunks(String path, String acceptEncoding) throws IOException {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: " + acceptEncoding
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            String line;
            boolean gzipped = false;
            while (!(line = readLine(in)).isEmpty()) {
                gzipped |= line.equalsIgnoreCase("content-encoding: gzip");
            }
            assertTrue(gzipped, "the stream is not gzipped");
            List<byte[]> chunks = new ArrayList<>();
            while (true) {
                int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    return chunks;
                }
                byte[] c = new byte[size];
                in.readFully(c);
                readLine(in);
                chunks.add(c);
            }
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private HttpResponse<byte[]> send(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.getHost() + ":" + server.getPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
