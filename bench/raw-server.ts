import http from 'node:http';

/**
 * The baseline: what Node's HTTP stack alone does on this machine. It reads and parses the same
 * request body and answers 201 with a body and Location header shaped and sized like twinsync's;
 * no auth, validation, store or logging. twinsync's figures are read as a ratio against it.
 */
const port = Number(process.env.PORT);
const origin = `http://127.0.0.1:${port}`;
const id = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const guid = '00000000-0000-4000-8000-000000000000';
const location = `${origin}/synchronization/imodels/storageconnections/${id}`;
const response = JSON.stringify({
  connection: {
    id,
    displayName: 'bench',
    iModelId: guid,
    iTwinId: guid,
    authenticationType: 'User',
    _links: { iModel: { href: `${origin}/imodels/${guid}` }, iTwin: { href: `${origin}/itwins/${guid}` } },
  },
});
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': Buffer.byteLength(response),
  location,
};

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(201, headers).end(response);
    });
  })
  .listen(port, '127.0.0.1');
