package dev.tandem.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestDb;
import dev.tandem.rpc.PagedStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;

/**
 * The back-pressure check shared by the REST exports (NDJSON, CSV): a real HTTP/1.1 client reads a
 * few lines of a large export and stops; the server must come to wait for it ({@link
 * PagedStream#waitingForReader()}) having read less than half of the database pages; then the client
 * reads the rest and every line arrives, every page was read, and nothing waits any more.
 */
final class ExportBackPressure {

    private ExportBackPressure() {
    }

    /**
     * @param db the test database
     * @param sessions Hibernate's session factory, whose statistics count the page queries
     * @param uri the export's URI
     * @param userId the user whose orders are exported; {@code ordersBefore} of them exist
     * @param ordersBefore the user's orders before this check adds {@code added} more
     * @param added orders to add, enough for many pages
     * @param linesBeforePause lines the client reads before it stops
     * @param linesAtEnd the lines the whole export must have
     * @param line asserts one line, given its index from 0
     * @throws Exception when the exchange fails
     */
    static void check(TestDb db, SessionFactory sessions, URI uri, int userId, int ordersBefore, int added,
            int linesBeforePause, long linesAtEnd, BiConsumer<Long, String> line) throws Exception {
        db.update("insert into orders (user_id, item_id, order_date, amount) select " + userId
                + ", 1 + g % 4, now(), 1 + g % 9 from generate_series(1, " + added + ") g");
        int pagesForAll = (added + ordersBefore) / OrderExportGrpcService.PAGE_SIZE;
        Statistics statistics = sessions.getStatistics();
        long queriesBefore = statistics.getQueryExecutionCount();
        int waitingBefore = PagedStream.waitingForReader();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long lines = 0;
            for (; lines < linesBeforePause; lines++) {
                line.accept(lines, in.readLine());
            }
            // a slow client: the server fills the buffers between us, then must wait; the stream says so
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (PagedStream.waitingForReader() <= waitingBefore) {
                assertTrue(System.nanoTime() < end, "timed out: the export never waited for its reader");
                LockSupport.parkNanos(10_000_000); // polling interval for the event
            }
            long pagesWhilePaused = statistics.getQueryExecutionCount() - queriesBefore;
            System.out.printf("export back-pressure (%s): %d of %d pages read while the client paused%n",
                    uri.getPath(), pagesWhilePaused, pagesForAll);
            assertTrue(pagesWhilePaused < pagesForAll / 2,
                    "the server read " + pagesWhilePaused + " of " + pagesForAll + " pages for a client that stopped reading");

            String text;
            while ((text = in.readLine()) != null) {
                line.accept(lines++, text);
            }
            assertEquals(linesAtEnd, lines);
            long pagesAtEnd = statistics.getQueryExecutionCount() - queriesBefore;
            assertTrue(pagesAtEnd >= pagesForAll, "all " + pagesForAll + " pages read at the end, not " + pagesAtEnd);
            assertEquals(waitingBefore, PagedStream.waitingForReader(), "the finished export waits no more");
        }
    }
}
