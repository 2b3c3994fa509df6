package dev.tandem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One cleartext HTTP/2 connection for tests that must see or break the protocol's frames: frames
 * written and read by hand over a blocking socket, in the layout of RFC 9113 section 4.1 (24-bit
 * length, type, flags, 31-bit stream id, payload), with Netty's HPACK coder for header blocks. It
 * has no flow control, limits or automatic answers of its own: the test writes every frame,
 * SETTINGS and PING acknowledgements included. Writes are buffered until {@link #flush()}.
 */
public final class RawHttp2 implements AutoCloseable {

    /** Flags of RFC 9113 section 6: END_STREAM (DATA, HEADERS) and ACK (SETTINGS, PING) share bit 0. */
    public static final int END_STREAM = 0x1;
    /** ACK flag of SETTINGS and PING. */
    public static final int ACK = 0x1;
    /** END_HEADERS flag of HEADERS. */
    public static final int END_HEADERS = 0x4;

    /**
     * One frame.
     *
     * @param type frame type ({@link Http2FrameTypes})
     * @param flags its flags byte
     * @param stream stream id, 0 for the connection
     * @param payload its payload, padding included
     */
    public record Frame(int type, int flags, int stream, byte[] payload) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authority;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);

    /**
     * @param host server host
     * @param port server port (cleartext HTTP/2 with prior knowledge)
     * @param readTimeoutMillis bounds a silent server; each read waits for a frame
     * @throws IOException when the connection cannot be opened
     */
    public RawHttp2(String host, int port, int readTimeoutMillis) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        authority = host + ":" + port;
    }

    /** @return {@code host:port}, for the {@code :authority} pseudo-header */
    public String authority() {
        return authority;
    }

    /**
     * Writes the client preface and an empty SETTINGS frame, and flushes (RFC 9113 section 3.4).
     *
     * @throws IOException on a write failure
     */
    public void preface() throws IOException {
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        write(Http2FrameTypes.SETTINGS, 0, 0, new byte[0]);
        flush();
    }

    /**
     * Buffers one frame.
     *
     * @param type frame type
     * @param flags flags byte
     * @param stream stream id
     * @param payload payload, at most 16,384 bytes (the default SETTINGS_MAX_FRAME_SIZE)
     * @throws IOException on a write failure
     */
    public void write(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {
            (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(header);
        out.write(payload);
    }

    /** @throws IOException on a write failure */
    public void flush() throws IOException {
        out.flush();
    }

    /**
     * @return the next frame from the server
     * @throws IOException on a read failure, or {@link java.net.SocketTimeoutException} after the
     *     read timeout
     */
    public Frame read() throws IOException {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, stream, payload);
    }

    /**
     * @param stream the stream the block is for
     * @param headers the header fields
     * @return their HPACK header block, for a HEADERS frame's payload
     * @throws Http2Exception when HPACK refuses them
     */
    public byte[] encode(int stream, Http2Headers headers) throws Http2Exception {
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            return bytes;
        } finally {
            block.release();
        }
    }

    /**
     * Decodes a HEADERS frame's header block, without its padding and priority fields (RFC 9113
     * section 6.2); the block must be whole (END_HEADERS, no CONTINUATION).
     *
     * @param headers a HEADERS frame
     * @return its header fields
     * @throws Http2Exception when HPACK refuses the block
     */
    public Http2Headers decode(Frame headers) throws Http2Exception {
        byte[] p = headers.payload();
        int from = 0;
        int padding = 0;
        if ((headers.flags() & 0x8) != 0) { // PADDED
            padding = p[0] & 0xff;
            from = 1;
        }
        if ((headers.flags() & 0x20) != 0) { // PRIORITY
            from += 5;
        }
        ByteBuf block = Unpooled.wrappedBuffer(Arrays.copyOfRange(p, from, p.length - padding));
        try {
            return decoder.decodeHeaders(headers.stream(), block);
        } finally {
            block.release();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
