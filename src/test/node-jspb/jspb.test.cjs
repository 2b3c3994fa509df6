// The old REST gateway's answers, made by google-protobuf itself: for each case the JUnit test
// (dev.tandem.user.LegacyGatewayJspbTest) wrote the gRPC answer's bytes; this test decodes them
// with the classes protoc 3.20.3 --js_out generated from the ORIGINAL contract, calls toObject()
// as the gateway did (`res.send(response.toObject())`, i.e. JSON.stringify), fetches the same
// data from Tandem's /api route, and compares them field by field, then as text.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const gen = process.env.TANDEM_JSPB_GEN;
const base = process.env.TANDEM_REST_BASE;
const cases = JSON.parse(fs.readFileSync(process.env.TANDEM_JSPB_CASES, 'utf8'));
const modules = {
  'user.v1': require(path.join(gen, 'user/v1/user_pb.js')),
  'orders.v1': require(path.join(gen, 'orders/v1/order_pb.js')),
  'tandem.conformance.v1': require(path.join(gen, 'tandem/conformance/v1/conformance_pb.js')),
};

function classOf(fullName) {
  const dot = fullName.lastIndexOf('.');
  const cls = modules[fullName.slice(0, dot)][fullName.slice(dot + 1)];
  assert.ok(cls, `no generated class for ${fullName}`);
  return cls;
}

// Every key and value of `expected` at the same place in `actual`, and no other key; reports the path.
function compare(actual, expected, at) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${at}: length`);
    expected.forEach((e, i) => compare(actual[i], e, `${at}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${at}: expected an object`);
    assert.deepEqual(Object.keys(actual), Object.keys(expected), `${at}: keys`);
    for (const k of Object.keys(expected)) {
      compare(actual[k], expected[k], `${at}.${k}`);
    }
  } else {
    assert.equal(actual, expected, `${at}`);
  }
}

for (const c of cases.filter((c) => c.tandemText !== undefined)) {
  // Tandem's printer (dev.tandem.transcoding.JspbObjects) on a message with a field of every kind
  test(`JspbObjects prints toObject() of ${c.type} (${c.grpcBytes.length} bytes of base64)`, () => {
    const message = classOf(c.type).deserializeBinary(Buffer.from(c.grpcBytes, 'base64'));
    const expectedText = JSON.stringify(message.toObject());
    compare(JSON.parse(c.tandemText), JSON.parse(expectedText), '$');
    assert.equal(c.tandemText, expectedText, 'byte for byte');
  });
}

for (const c of cases.filter((c) => c.path !== undefined)) {
  test(`GET ${c.path} is toObject() of ${c.type}`, async () => {
    const message = classOf(c.type).deserializeBinary(Buffer.from(c.grpcBytes, 'base64'));
    const expectedText = JSON.stringify(message.toObject());
    const response = await fetch(base + c.path);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    compare(JSON.parse(text), JSON.parse(expectedText), '$');
    assert.equal(text, expectedText, 'byte for byte');
  });
}
