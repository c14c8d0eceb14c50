// A static Go program (no libc: SeamPreload cannot see its calls): a TCP server and a client in one process
// exchange one line over 127.0.0.1. Build: CGO_ENABLED=0 go build -o goecho main.go
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
)

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	done := make(chan struct{})
	go func() {
		conn, err := listener.Accept()
		if err == nil {
			line, _ := bufio.NewReader(conn).ReadString('\n')
			conn.Write([]byte(line))
			conn.Close()
		}
		close(done)
	}()
	conn, err := net.Dial("tcp", listener.Addr().String())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	conn.Write([]byte("hello from go\n"))
	answer, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	<-done
	fmt.Print(answer)
}
