// Drives the npm package node-smsc (0.2.3) against a sandbox: a real third-party SMSC client.
//
//   node node_smsc.js ROOT LOGIN PASSWORD CALLS_JSON
//
// ROOT is the API root with its trailing slash (http://127.0.0.1:PORT/sys/): node-smsc resolves
// 'senders.php' against it. CALLS_JSON is a list of senders() queries; each is sent in turn and
// written as {"ok": <what the promise gave>} or {"error": {name, message, response}}, one JSON
// list on standard output. node-smsc adds fmt=3, charset=utf-8 and psw as its MD5 hex digest.
// The package is found through NODE_PATH (the test sets it from SMSC_WIRE_NODE_MODULES).
'use strict'

const [root, login, password, callsJson] = process.argv.slice(2)
const smsc = require('node-smsc')({ login: login, password: password, request: root })

async function main () {
  const results = []
  for (const query of JSON.parse(callsJson)) {
    try {
      results.push({ ok: await smsc.senders(query) })
    } catch (error) {
      results.push({
        error: { name: error.name, message: error.message, response: error.response || null }
      })
    }
  }
  process.stdout.write(JSON.stringify(results))
}

main().catch(function (error) {
  process.stderr.write(String((error && error.stack) || error) + '\n')
  process.exit(1)
})
