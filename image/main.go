// Command image writes keyport's container image without Docker, with go-containerregistry:
// one OCI image index for linux/amd64 and linux/arm64, each image the static keyport binary on
// an empty base with a non-root user, /data as the data directory and 0.0.0.0:8080 as the
// listen address, written as an OCI layout directory and as a tar of it (an OCI archive, which
// `docker load` and `podman load` accept).
//
//	go run . -amd64 ../bin/linux-amd64/keyport -arm64 ../bin/linux-arm64/keyport -out ../bin/image
//
// It is its own module so that go-containerregistry never enters keyport's build.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var bins = map[string]*string{}
	for _, arch := range Architectures {
		bins[arch] = flag.String(arch, "", "the static linux/"+arch+" keyport binary")
	}
	out := flag.String("out", "", "directory the OCI layout is written to; its tar goes next to it as <out>.tar")
	flag.Parse()
	paths := map[string]string{}
	for arch, p := range bins {
		if *p == "" {
			fail(fmt.Errorf("-%s is required", arch))
		}
		paths[arch] = *p
	}
	if *out == "" {
		fail(fmt.Errorf("-out is required"))
	}
	idx, err := Build(paths)
	if err != nil {
		fail(err)
	}
	if err := Write(idx, *out, *out+".tar"); err != nil {
		fail(err)
	}
	fmt.Printf("wrote the OCI layout %s and the OCI archive %s.tar (docker load -i / podman load -i)\n", *out, *out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "image:", err)
	os.Exit(1)
}
