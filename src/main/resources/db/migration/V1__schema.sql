-- Tandem schema, version 1: users, the item catalogue and orders.
-- Hibernate validates the entities against this schema at start
-- (quarkus.hibernate-orm.schema-management.strategy=validate); it never changes it.
-- Constraint names are stable: the application maps their violations to gRPC
-- status codes (see dev.tandem.error.Constraints).

CREATE TABLE users (
    id         integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name varchar(100) NOT NULL,
    last_name  varchar(100) NOT NULL,
    email      varchar(254) NOT NULL
);
-- E-mail addresses are unique regardless of case.
CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email));

CREATE TABLE item (
    id   integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(255) NOT NULL
);

CREATE TABLE orders (
    id         integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    integer     NOT NULL CONSTRAINT orders_user_fk REFERENCES users (id),
    item_id    integer     NOT NULL CONSTRAINT orders_item_fk REFERENCES item (id),
    order_date timestamptz NOT NULL,
    amount     integer     NOT NULL CONSTRAINT orders_amount_positive CHECK (amount > 0)
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
