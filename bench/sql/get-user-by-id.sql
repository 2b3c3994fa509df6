-- The SQL that GetUserById{id} runs, in one transaction, for pgbench
-- and the JDBC peers (bench/all.sh): exactly what Hibernate logs for the call
-- (QUARKUS_HIBERNATE_ORM_LOG_SQL=true), which the script checks again on
-- every run. pgjdbc starts the JTA transaction with BEGIN and ends it with
-- COMMIT; `?` is :id here.
\set id 1
BEGIN;
select ue1_0.id, ue1_0.email, ue1_0.first_name, ue1_0.last_name, ue1_0.request_hash, ue1_0.request_id, ue1_0.version from users ue1_0 where ue1_0.id=:id;
select oe1_0.id, oe1_0.amount, oe1_0.item_id, i1_0.id, i1_0.name, oe1_0.order_date, oe1_0.request_hash, oe1_0.request_id, oe1_0.user_id, oe1_0.version from orders oe1_0 join item i1_0 on i1_0.id=oe1_0.item_id where oe1_0.user_id=:id order by oe1_0.id;
COMMIT;
