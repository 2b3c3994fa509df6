-- Orders of one user in id order, as GetOrdersByUserId, GetUserById and the
-- keyset-paged ExportOrders read them: one index range scan, no sort. It also
-- serves every lookup the user_id index served, so that index goes.
CREATE INDEX orders_user_id_id_idx ON orders (user_id, id);
DROP INDEX orders_user_id_idx;
