// Loaded by path (`failureConverterPath`) into clients, workers and the workflow bundle, hence CommonJS.
// Error messages and stack traces move into an encoded payload, so the payload codec encrypts them too:
// an error that quotes an address or a national id does not reach Temporal's history in clear text.
/* global require, exports */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK loads this file with require()
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
