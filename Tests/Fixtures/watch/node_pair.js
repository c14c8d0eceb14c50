// A Node.js TCP server and client in one process, for seam watch's tests: the client writes "hello\n" and
// "feng\n" (two writes, 20 ms apart), the server answers each chunk upper-cased, the client closes after
// both answers. Usage: node node_pair.js
const net = require("net");

const server = net.createServer((socket) => {
  socket.on("data", (data) => socket.write(data.toString().toUpperCase()));
  socket.on("end", () => { socket.end(); server.close(); });
});
server.listen(0, "127.0.0.1", () => {
  const client = net.connect(server.address().port, "127.0.0.1", () => {
    client.write("hello\n");
    setTimeout(() => client.write("feng\n"), 20);
  });
  let answer = "";
  client.on("data", (data) => {
    answer += data.toString();
    if (answer === "HELLO\nFENG\n") { process.stdout.write(answer); client.end(); }
  });
});
