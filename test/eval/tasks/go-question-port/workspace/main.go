package main

import (
	"log"
	"net/http"
)

func main() {
	addr := listenAddr()
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, routes()))
}
