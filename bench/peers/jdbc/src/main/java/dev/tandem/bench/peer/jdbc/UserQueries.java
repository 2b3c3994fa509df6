package dev.tandem.bench.peer.jdbc;

import com.google.protobuf.Timestamp;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.User;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Bench-only (shared by {@code bench/peers/grpc-java-jdbc} and {@code bench/peers/armeria}): {@code
 * user.v1.UserService/GetUserById} in plain JDBC, the way a team without an ORM would write it.
 *
 * <ul>
 *   <li>A fixed pool of {@value #THREADS} platform threads; each thread opens ONE pgjdbc connection
 *       the first time it runs a call and keeps it (autocommit off), so at most {@value #THREADS}
 *       connections exist (an unbounded pool exhausts PostgreSQL's {@code max_connections}, see
 *       {@code ../shared/notes/BENCH-FACTS.md}).
 *   <li>Per call, in one transaction: exactly the two statements of {@code
 *       bench/sql/get-user-by-id.sql} (the file is read at start-up, {@code :id} replaced by a
 *       parameter, so the peer runs the very text Hibernate logs for Tandem's call; {@code bench/all.sh}
 *       checks the file against Hibernate's log), then {@code COMMIT}. Prepared statements are
 *       prepared once per connection; pgjdbc switches them to server-side prepared statements after
 *       its default {@code prepareThreshold} (5), as it does under Hibernate.
 *   <li>The response is built as Tandem's {@code UserMapper} and {@code OrderMapper} build it (etag
 *       {@code "<version>"} per AIP-154, {@code order_date} as a UTC {@code Timestamp}), so the
 *       answer is byte-identical to Tandem's (checked by {@code bench/all.sh}). Columns are read by
 *       label (the first column of that name), not by position.
 *   <li>Unknown user: {@code NOT_FOUND}; a database failure: {@code UNAVAILABLE} with the message.
 * </ul>
 */
public final class UserQueries {

    /** Threads, and so connections, of the pool. */
    public static final int THREADS = 8;

    private final String url;
    private final Properties properties = new Properties();
    private final String userSql;
    private final String ordersSql;
    private final ExecutorService pool;
    private final ThreadLocal<Session> sessions = new ThreadLocal<>();

    /** One thread's connection and its two prepared statements. */
    private record Session(Connection connection, PreparedStatement user, PreparedStatement orders) {
    }

    /**
     * @param url {@code jdbc:postgresql://...} of the database Tandem uses
     * @param username database user (trust authentication; no password)
     * @param sqlFile {@code bench/sql/get-user-by-id.sql}: two {@code select} statements between
     *     {@code BEGIN;} and {@code COMMIT;}, {@code :id} as the parameter
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file does not hold exactly two {@code select}s
     */
    public UserQueries(String url, String username, Path sqlFile) throws IOException {
        this.url = url;
        properties.setProperty("user", username);
        List<String> selects = new ArrayList<>();
        for (String line : Files.readAllLines(sqlFile, StandardCharsets.UTF_8)) {
            String s = line.strip();
            if (s.regionMatches(true, 0, "select", 0, 6)) {
                selects.add(s.replaceAll(";\\s*$", "").replace(":id", "?"));
            }
        }
        if (selects.size() != 2) {
            throw new IllegalArgumentException(sqlFile + ": expected 2 select statements, found " + selects.size());
        }
        userSql = selects.get(0);
        ordersSql = selects.get(1);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "jdbc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs GetUserById on the pool and hands the outcome to one of the two callbacks, on the pool
     * thread.
     *
     * @param id the user's id
     * @param onResponse receives the response
     * @param onError receives {@code NOT_FOUND} or {@code UNAVAILABLE} as a {@link io.grpc.StatusRuntimeException}
     */
    public void getUserById(int id, Consumer<GetUserResponse> onResponse, Consumer<Throwable> onError) {
        pool.execute(() -> {
            GetUserResponse response;
            try {
                response = query(id);
            } catch (SQLException e) {
                sessions.remove();
                onError.accept(Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e).asRuntimeException());
                return;
            } catch (RuntimeException e) {
                onError.accept(e);
                return;
            }
            onResponse.accept(response);
        });
    }

    private GetUserResponse query(int id) throws SQLException {
        Session s = session();
        try {
            User.Builder user = User.newBuilder();
            s.user().setInt(1, id);
            try (ResultSet rs = s.user().executeQuery()) {
                if (!rs.next()) {
                    s.connection().commit();
                    throw Status.NOT_FOUND.withDescription("user " + id + " not found").asRuntimeException();
                }
                user.setId(rs.getInt("id"))
                        .setFirstName(rs.getString("first_name"))
                        .setLastName(rs.getString("last_name"))
                        .setEmail(rs.getString("email"))
                        .setEtag("\"" + rs.getLong("version") + "\"");
            }
            s.orders().setInt(1, id);
            try (ResultSet rs = s.orders().executeQuery()) {
                int itemId = rs.findColumn("item_id");
                while (rs.next()) {
                    OffsetDateTime date = rs.getObject("order_date", OffsetDateTime.class);
                    user.addOrders(Order.newBuilder()
                            .setId(rs.getInt("id"))
                            .setUserId(rs.getInt("user_id"))
                            .setItem(Item.newBuilder().setId(rs.getInt(itemId)).setName(rs.getString("name")))
                            .setOrderDate(Timestamp.newBuilder()
                                    .setSeconds(date.toEpochSecond())
                                    .setNanos(date.getNano()))
                            .setAmount(rs.getInt("amount"))
                            .setEtag("\"" + rs.getLong("version") + "\""));
                }
            }
            s.connection().commit();
            return GetUserResponse.newBuilder().setUser(user).build();
        } catch (SQLException | RuntimeException e) {
            try {
                s.connection().rollback();
            } catch (SQLException ignored) {
                // the connection is dropped below when it is broken
            }
            throw e;
        }
    }

    private Session session() throws SQLException {
        Session s = sessions.get();
        if (s == null || s.connection().isClosed()) {
            Connection c = DriverManager.getConnection(url, properties);
            c.setAutoCommit(false);
            s = new Session(c, c.prepareStatement(userSql), c.prepareStatement(ordersSql));
            sessions.set(s);
        }
        return s;
    }
}
