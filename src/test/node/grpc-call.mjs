// A one-shot gRPC client for trying Tandem by hand (there is no grpcurl here):
//
//   node grpc-call.mjs [host:port] package.Service/Method ['{"json":"request"}']
//
// e.g. node grpc-call.mjs localhost:8080 helloworld.Greeter/SayHello '{"name":"World"}'
// The request is JSON with proto field names; the response is printed as JSON.
// A failure prints the gRPC status code name and message and exits 1; bad usage exits 2.
// Deadline: TANDEM_GRPC_DEADLINE_MS (default 5000). Protos: see protos.mjs.
// Authentication: TANDEM_GRPC_TOKEN, when set, is sent as the metadata authorization: Bearer <token>.
import grpc from '@grpc/grpc-js';
import { loadTandemApi } from './protos.mjs';

const args = process.argv.slice(2);
const target = args.length > 0 && !args[0].includes('/') ? args.shift() : 'localhost:8080';
const [fullMethod, json = '{}'] = args;
const match = /^([\w.]+)\.(\w+)\/(\w+)$/.exec(fullMethod ?? '');
if (!match) {
  console.error('usage: node grpc-call.mjs [host:port] package.Service/Method [\'{"json":"request"}\']');
  process.exit(2);
}
const [, pkg, service, method] = match;
const Service = pkg.split('.').reduce((o, k) => o?.[k], loadTandemApi())?.[service];
if (!Service || !Service.service[method]) {
  console.error(`no method ${fullMethod} in src/main/proto`);
  process.exit(2);
}
const client = new Service(target, grpc.credentials.createInsecure());
const deadline = Date.now() + Number(process.env.TANDEM_GRPC_DEADLINE_MS ?? 5000);
const metadata = new grpc.Metadata();
if (process.env.TANDEM_GRPC_TOKEN) {
  metadata.set('authorization', `Bearer ${process.env.TANDEM_GRPC_TOKEN}`);
}
client[method](JSON.parse(json), metadata, { deadline }, (err, response) => {
  client.close();
  if (err) {
    // grpc-js decodes grpc-message with decodeURI, which leaves reserved characters such as %3A (:) and
    // %2F (/) encoded; the Vert.x gRPC server encodes them. Decode the rest for display.
    let details = err.details;
    try {
      details = decodeURIComponent(details);
    } catch {
      // not percent-encoded after all (e.g. a literal %): show it as it came
    }
    console.error(`${grpc.status[err.code]} (${err.code}): ${details}`);
    process.exit(1);
  }
  console.log(JSON.stringify(response, null, 2));
});
