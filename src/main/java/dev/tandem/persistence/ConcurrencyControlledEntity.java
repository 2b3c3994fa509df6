package dev.tandem.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;
import java.util.UUID;

/**
 * The columns every writable resource table has for concurrency control (Flyway
 * {@code V3__etags_and_request_ids.sql}): an optimistic-lock version behind its AIP-154 etag, and
 * the AIP-155 request id and content hash of the create that made the row.
 */
@MappedSuperclass
public abstract class ConcurrencyControlledEntity extends PanacheEntityBase {

    /**
     * Optimistic-lock version (column {@code version}, 0 on insert): Hibernate adds {@code where
     * version = ?} to every update and delete of the row and increments it, so a write based on a
     * stale read fails instead of overwriting (AIP-154; the etag is {@link Etags#of(long)}).
     */
    @Version
    @Column(name = "version", nullable = false)
    public long version;

    /** AIP-155 request id of the create that made the row (unique), or null when it had none. */
    @Column(name = "request_id", unique = true)
    public UUID requestId;

    /** SHA-256 (hex) of that create's content, set with {@link #requestId}; see {@link RequestIds}. */
    @Column(name = "request_hash", length = 64)
    public String requestHash;
}
