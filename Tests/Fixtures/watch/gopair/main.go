// gopair: a Go TCP server and client for seam watch's tests (built static: CGO_ENABLED=0).
//
//	gopair server PORTFILE   listen on 127.0.0.1:0, write the port to PORTFILE, echo one connection
//	                         upper-cased line by line until EOF, then exit
//	gopair client PORTFILE   wait for PORTFILE, connect, write "hello\n" and "feng\n" (two writes),
//	                         read the two answers, close
//
// Go makes its system calls itself (no libc), so LD_PRELOAD never sees them; seam watch does.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gopair server|client PORTFILE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		server(os.Args[2])
	case "client":
		client(os.Args[2])
	}
}

func server(portFile string) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	port := listener.Addr().(*net.TCPAddr).Port
	check(os.WriteFile(portFile+".tmp", []byte(fmt.Sprint(port)), 0o600))
	check(os.Rename(portFile+".tmp", portFile))
	conn, err := listener.Accept()
	check(err)
	reader := bufio.NewReader(conn)
	for {
		line, err := reader.ReadString('\n')
		if err != nil {
			break
		}
		_, err = conn.Write([]byte(strings.ToUpper(line)))
		check(err)
	}
	conn.Close()
	listener.Close()
}

func client(portFile string) {
	var port []byte
	for i := 0; i < 500; i++ {
		if data, err := os.ReadFile(portFile); err == nil {
			port = data
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	conn, err := net.Dial("tcp", "127.0.0.1:"+string(port))
	check(err)
	for _, message := range []string{"hello\n", "feng\n"} {
		_, err = conn.Write([]byte(message))
		check(err)
		time.Sleep(20 * time.Millisecond)
	}
	reader := bufio.NewReader(conn)
	for i := 0; i < 2; i++ {
		line, err := reader.ReadString('\n')
		check(err)
		fmt.Print(line)
	}
	conn.Close()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gopair:", err)
		os.Exit(1)
	}
}
