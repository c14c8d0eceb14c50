// A Java TCP server and client in one process, for seam watch's tests: the client writes "hello\n" and
// "feng\n" (two writes, 20 ms apart), the server echoes each line upper-cased, the client reads both answers
// and closes. Usage: java JavaPair.java (the JDK compiles it in memory).
import java.io.*;
import java.net.*;

public class JavaPair {
    public static void main(String[] args) throws Exception {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Thread server = new Thread(() -> {
            try (Socket connection = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream()));
                OutputStream out = connection.getOutputStream();
                for (String line; (line = in.readLine()) != null; ) {
                    out.write((line.toUpperCase() + "\n").getBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        server.start();
        try (Socket client = new Socket("127.0.0.1", listener.getLocalPort())) {
            OutputStream out = client.getOutputStream();
            out.write("hello\n".getBytes());
            Thread.sleep(20);
            out.write("feng\n".getBytes());
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream()));
            System.out.println(in.readLine());
            System.out.println(in.readLine());
        }
        server.join();
        listener.close();
    }
}
