-- Tandem schema, version 3: optimistic locking (AIP-154 etags) and idempotent creation (AIP-155).
--
-- version: incremented by Hibernate (@Version) on every update of the row; the resource's etag is
-- derived from it (see dev.tandem.concurrency.Etags). An UPDATE ... WHERE version = ? that matches
-- no row is a concurrent change: the request fails with ABORTED instead of overwriting it.
--
-- request_id / request_hash: the client's AIP-155 request id of the create that made the row and a
-- SHA-256 (hex) of that request's content. The unique indexes make a retried or concurrent create
-- with the same request id write at most one row; the hash tells a retry (same content: the same
-- resource is returned) from a reuse of the id for different content (INVALID_ARGUMENT).
-- Rows made without a request id (and all rows that predate V3) have NULLs there.

ALTER TABLE users  ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN version bigint NOT NULL DEFAULT 0;

ALTER TABLE users  ADD COLUMN request_id uuid, ADD COLUMN request_hash varchar(64);
ALTER TABLE orders ADD COLUMN request_id uuid, ADD COLUMN request_hash varchar(64);
CREATE UNIQUE INDEX users_request_id_uq  ON users (request_id);
CREATE UNIQUE INDEX orders_request_id_uq ON orders (request_id);
