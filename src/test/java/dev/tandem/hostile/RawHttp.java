package dev.tandem.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a plain socket, so that hostile requests (malformed
 * percent-encoding, raw bytes) reach the server exactly as written, which {@code
 * java.net.http} and REST Assured refuse or rewrite. One request per connection.
 */
final class RawHttp {

    /**
     * @param status the HTTP status
     * @param contentType the Content-Type header, or {@code null}
     * @param body the body as UTF-8 text
     */
    record Response(int status, String contentType, String body) {}

    private RawHttp() {}

    static Response send(String host, int port, String method, String rawTarget, String contentType, byte[] body)
            throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(rawTarget).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\n")
                    .append("Connection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * What a server answered to bytes written as they are, on one connection.
     *
     * @param text every byte read, as ISO-8859-1 text
     * @param closed whether the server closed the connection (rather than leaving it open for {@code
     *     timeoutMillis} after its last byte)
     */
    record Exchange(String text, boolean closed) {

        /** @return how many HTTP responses the text holds (status lines) */
        int responses() {
            return text.split("HTTP/1\\.[01] \\d{3} ", -1).length - 1;
        }

        /** @return the first response */
        Response first() throws IOException {
            return read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    /**
     * Writes {@code raw} on a new connection and reads until the server closes it or stays silent
     * for {@code timeoutMillis}.
     */
    static Exchange exchange(String host, int port, byte[] raw, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean closed;
            try {
                byte[] buf = new byte[8192];
                int n;
                while ((n = socket.getInputStream().read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
                closed = true;
            } catch (java.net.SocketTimeoutException open) {
                closed = false;
            } catch (java.net.SocketException reset) {
                closed = true;
            }
            return new Exchange(all.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int next = text.indexOf("HTTP/1.", 1); // only the first of several responses
        if (next > 0 && text.lastIndexOf("\r\n\r\n", next) > 0) {
            text = text.substring(0, next);
            byte[] first = java.util.Arrays.copyOf(all.toByteArray(), next);
            all.reset();
            all.write(first, 0, first.length);
        }
        int headEnd = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, headEnd < 0 ? text.length() : headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = null;
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).trim();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] raw = headEnd < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all.toByteArray(), headEnd + 4, all.size());
        return new Response(status, contentType, new String(chunked ? dechunk(raw) : raw, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int eol = indexOf(raw, i);
            int size = Integer.parseInt(new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i < raw.length - 1; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return raw.length;
    }
}
