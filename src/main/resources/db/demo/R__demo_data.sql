-- Demo data: the rows the original databases were seeded with
-- (shared/contracts/demo-data.csv). Order dates were SQL DATEs: midnight UTC.
--
-- Switched by ONE run-time property, tandem.demo-data.enabled
-- (env TANDEM_DEMO_DATA_ENABLED), fed to the Flyway placeholder demo_data
-- (see application.properties). This file is always on the Flyway locations
-- (a build-time setting, so the native image holds it); the placeholder guards
-- its effect. Flyway checksums a repeatable migration AFTER placeholder
-- replacement, so changing the property re-applies this file on the next start.
-- Idempotent: re-running inserts nothing twice (ON CONFLICT DO NOTHING) and
-- only ever moves the identity sequences forward. Turning the switch off again
-- does not delete demo rows.
DO $$
BEGIN
    IF lower('${demo_data}') IN ('true', '1', 'yes', 'y', 'on') THEN
        INSERT INTO users (id, first_name, last_name, email) OVERRIDING SYSTEM VALUE VALUES
            (1, 'Petar',  'Petrovic',  'petar.petrovic@gmail.com'),
            (2, 'Jovan',  'Jovanovic', 'jovan.jovanovic@gmail.com'),
            (3, 'Jovica', 'Jovic',     'jovica.jovic@gamil.com')
        ON CONFLICT DO NOTHING;

        INSERT INTO item (id, name) OVERRIDING SYSTEM VALUE VALUES
            (1, 'pencil'),
            (2, 'book'),
            (3, 'magic stick'),
            (4, 'ball')
        ON CONFLICT DO NOTHING;

        -- An order is added only when its user and item are the demo rows, so
        -- enabling demo data on a database with real rows under ids 1..4
        -- never attaches demo orders to real users.
        INSERT INTO orders (id, user_id, item_id, order_date, amount) OVERRIDING SYSTEM VALUE
        SELECT d.id, d.user_id, d.item_id, d.order_date, d.amount
        FROM (VALUES
            (1, 1, 1, TIMESTAMPTZ '2023-05-01 00:00:00+00', 10, 'petar.petrovic@gmail.com',  'pencil'),
            (2, 1, 2, TIMESTAMPTZ '2023-05-02 00:00:00+00', 25, 'petar.petrovic@gmail.com',  'book'),
            (3, 1, 3, TIMESTAMPTZ '2023-05-03 00:00:00+00', 12, 'petar.petrovic@gmail.com',  'magic stick'),
            (4, 2, 2, TIMESTAMPTZ '2023-05-04 00:00:00+00', 15, 'jovan.jovanovic@gmail.com', 'book')
        ) AS d (id, user_id, item_id, order_date, amount, user_email, item_name)
        JOIN users u ON u.id = d.user_id AND u.email = d.user_email
        JOIN item  i ON i.id = d.item_id AND i.name = d.item_name
        ON CONFLICT DO NOTHING;

        -- New rows must get ids after the demo ids; never move a sequence back.
        PERFORM setval('users_id_seq',  GREATEST((SELECT max(id) FROM users),  (SELECT last_value FROM users_id_seq)));
        PERFORM setval('item_id_seq',   GREATEST((SELECT max(id) FROM item),   (SELECT last_value FROM item_id_seq)));
        PERFORM setval('orders_id_seq', GREATEST((SELECT max(id) FROM orders), (SELECT last_value FROM orders_id_seq)));
    END IF;
END
$$;
