// A one-shot gRPC client for trying Tandem by hand (there is no grpcurl here):
//
//   node grpc-call.mjs [host:port] package.Service/Method ['{"json":"request"}']
//
// e.g. node grpc-call.mjs localhost:8080 helloworld.Greeter/SayHello '{"name":"World"}'
// The request is JSON with proto field names; the response is printed as JSON.
// A failure prints the gRPC status code name and message and exits 1; bad usage exits 2.
// Deadline: TANDEM_GRPC_DEADLINE_MS (default 5000). Protos: see protos.mjs.
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
client[method](JSON.parse(json), { deadline }, (err, response) => {
  client.close();
  if (err) {
    console.error(`${grpc.status[err.code]} (${err.code}): ${err.details}`);
    process.exit(1);
  }
  console.log(JSON.stringify(response, null, 2));
});
