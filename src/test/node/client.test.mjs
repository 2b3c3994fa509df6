// A foreign-language client of Tandem: Node.js with @grpc/grpc-js, built at
// run time from the project's own .proto files (src/main/proto), the way a
// third party's client would be. Each call has a one-second deadline, like the
// gRPC example clients.
//
// Run: npm ci && TANDEM_GRPC_TARGET=localhost:8080 npm test
// (NodeGrpcClientTest runs it against the @QuarkusTest server on every `./mvnw verify`.)
//
// Environment:
//   TANDEM_GRPC_TARGET      host:port of a running Tandem (required).
//   TANDEM_NODE_TESTS       comma-separated groups to run: greeter, users, orders,
//                           or all (default). The others are reported as skipped.
//   TANDEM_PROTO_INCLUDE    directories (separated by ':') holding the imported
//                           google/api/*.proto files. Default: extracted from
//                           the newest proto-google-common-protos jar in the
//                           local Maven repository (~/.m2/repository, or
//                           MAVEN_REPO_LOCAL) with `unzip` or the JDK's `jar`.
//   TANDEM_GRPC_DEADLINE_MS per-call deadline in milliseconds (default 1000).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import grpc from '@grpc/grpc-js';
import { loadTandemApi } from './protos.mjs';

const TARGET = process.env.TANDEM_GRPC_TARGET;
const DEADLINE_MS = Number(process.env.TANDEM_GRPC_DEADLINE_MS ?? 1000);
const GROUPS = ['greeter', 'users', 'orders'];

const selected = (process.env.TANDEM_NODE_TESTS ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
for (const g of selected) {
  if (g !== 'all' && !GROUPS.includes(g)) {
    throw new Error(`TANDEM_NODE_TESTS: unknown group '${g}' (known: all, ${GROUPS.join(', ')})`);
  }
}
const skipUnless = (group) =>
  selected.includes('all') || selected.includes(group) ? false : `not selected by TANDEM_NODE_TESTS=${selected.join(',')}`;

if (!TARGET) {
  throw new Error('set TANDEM_GRPC_TARGET to the host:port of a running Tandem, e.g. localhost:8080');
}

const api = loadTandemApi();

const clients = [];
function client(Service) {
  const c = new Service(TARGET, grpc.credentials.createInsecure());
  clients.push(c);
  return c;
}
after(() => clients.forEach((c) => c.close()));

/** Calls a unary method with the deadline; resolves to the response, rejects with the grpc error. */
function call(c, method, request) {
  return new Promise((resolve, reject) => {
    c[method](request, { deadline: Date.now() + DEADLINE_MS }, (err, response) =>
      err ? reject(err) : resolve(response),
    );
  });
}

/** Asserts that the promise fails with the given gRPC status code. */
async function assertStatus(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.equal(
      err.code,
      code,
      `expected status ${grpc.status[code]} (${code}), got ${grpc.status[err.code]} (${err.code}): ${err.details}`,
    );
    return true;
  });
}

// Demo data (shared contracts/demo-data.csv): user 1's orders, oldest first,
// dated midnight UTC of the original SQL DATE.
const PETAR_ORDERS = [
  { id: 1, item: 'pencil', amount: 10, date: '2023-05-01' },
  { id: 2, item: 'book', amount: 25, date: '2023-05-02' },
  { id: 3, item: 'magic stick', amount: 12, date: '2023-05-03' },
];

function assertPetarOrders(orders) {
  assert.equal(orders.length, 3, `orders: ${JSON.stringify(orders)}`);
  assert.deepEqual(
    orders.map((o) => o.item?.name),
    PETAR_ORDERS.map((o) => o.item),
  );
  orders.forEach((o, i) => {
    const want = PETAR_ORDERS[i];
    assert.equal(o.user_id, 1);
    assert.equal(o.id, want.id);
    assert.equal(o.amount, want.amount);
    assert.equal(Number(o.order_date?.seconds), Date.parse(`${want.date}T00:00:00Z`) / 1000);
  });
}

describe('helloworld.Greeter', { skip: skipUnless('greeter') }, () => {
  test('SayHello {name: "World"} answers "Hello World"', async () => {
    const reply = await call(client(api.helloworld.Greeter), 'SayHello', { name: 'World' });
    assert.equal(reply.message, 'Hello World');
  });
});

describe('user.v1.UserService', { skip: skipUnless('users') }, () => {
  test('GetUserById {id: 1} answers Petar Petrovic with his 3 orders', async () => {
    const { user } = await call(client(api.user.v1.UserService), 'GetUserById', { id: 1 });
    assert.ok(user, 'response has no user');
    assert.equal(user.id, 1);
    assert.equal(user.first_name, 'Petar');
    assert.equal(user.last_name, 'Petrovic');
    assert.equal(user.email, 'petar.petrovic@gmail.com');
    assertPetarOrders(user.orders);
  });

  test('GetUserById {id: 999999} fails with NOT_FOUND', async () => {
    await assertStatus(call(client(api.user.v1.UserService), 'GetUserById', { id: 999999 }), grpc.status.NOT_FOUND);
  });
});

describe('orders.v1.OrderService', { skip: skipUnless('orders') }, () => {
  test('GetOrdersByUserId {user_id: 1} answers his 3 orders', async () => {
    const { orders } = await call(client(api.orders.v1.OrderService), 'GetOrdersByUserId', { user_id: 1 });
    assertPetarOrders(orders);
  });

  test('GetOrdersByUserId {user_id: 0} fails with INVALID_ARGUMENT', async () => {
    await assertStatus(
      call(client(api.orders.v1.OrderService), 'GetOrdersByUserId', { user_id: 0 }),
      grpc.status.INVALID_ARGUMENT,
    );
  });
});
