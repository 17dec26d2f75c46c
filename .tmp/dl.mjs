import http from 'node:http';
const t0 = performance.now();
http.get('http://127.0.0.1:3918/api/export.csv', { headers: { 'accept-encoding': 'gzip' } }, (res) => {
  let n = 0;
  res.on('data', (c) => (n += c.length));
  res.on('end', () => console.log('end', res.statusCode, n, (performance.now() - t0).toFixed(0)));
  res.on('error', (e) => console.log('res error', e.message));
}).on('error', (e) => console.log('req error', e.message, (performance.now() - t0).toFixed(0)));
