// The browser test's page script (bundled by esbuild, see browser.mjs): from its own origin it calls
// Tandem, whose base URL is the page's ?api= parameter, three ways: GetUserById over gRPC-Web and
// SayHello over the Connect protocol (npm @connectrpc/connect-web), and a REST route with fetch.
// Each outcome is shown on the page and collected in window.tandemResults; document.title becomes
// "done" when all three have settled.
import { createClient, ConnectError } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { Greeter } from "../gen/helloworld/helloworld_pb.js";
import { ItemService } from "../gen/orders/v1/order_pb.js";

const api = new URLSearchParams(location.search).get("api");
const results = {};
window.tandemResults = results;

function show(name, outcome) {
  results[name] = outcome;
  const row = document.createElement("tr");
  for (const text of [name, outcome.ok ? "ok" : "refused", outcome.ok ? outcome.value : outcome.error]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    row.append(cell);
  }
  document.querySelector("#results").append(row);
}

async function attempt(name, call) {
  try {
    show(name, { ok: true, value: await call() });
  } catch (e) {
    show(name, { ok: false, error: e instanceof ConnectError ? `${e.code}: ${e.rawMessage}` : String(e) });
  }
}

document.querySelector("#origin").textContent = `page origin ${location.origin}, Tandem at ${api}`;
const grpcWeb = createClient(ItemService, createGrpcWebTransport({ baseUrl: api }));
const connect = createClient(Greeter, createConnectTransport({ baseUrl: api }));
await Promise.all([
  attempt("gRPC-Web ItemService.GetItem", async () => (await grpcWeb.getItem({ id: 1 })).name),
  attempt("Connect Greeter.SayHello", async () => (await connect.sayHello({ name: "Browser" })).message),
  attempt("REST GET /v1/greeter/Fetch", async () => {
    const response = await fetch(`${api}/v1/greeter/Fetch`);
    return `${response.status} ${(await response.json()).message}`;
  }),
]);
document.title = "done";
