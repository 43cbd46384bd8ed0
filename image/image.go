package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Architectures are the linux platforms the image holds.
var Architectures = []string{"amd64", "arm64"}

// What the image is: who runs keyport, where, and on which port.
const (
	Binary  = "/keyport"
	UID     = 65532 // the "nonroot" id of distroless images
	DataDir = "/data"
	Port    = "8080/tcp"
	// RefName is the name `docker load` and `podman load` give the image.
	RefName = "keyport:latest"
)

// caBundle is the build machine's CA bundle, copied in when present so that -store dynamodb
// can reach AWS over HTTPS; the image works without it for every other use.
const caBundle = "/etc/ssl/certs/ca-certificates.crt"

// epoch is every file's and the image's time, so that the same binaries make the same image.
var epoch = time.Unix(0, 0).UTC()

// Build returns the image index of one image per architecture, from each architecture's static
// binary.
func Build(binaries map[string]string) (v1.ImageIndex, error) {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, arch := range Architectures {
		img, err := image(arch, binaries[arch])
		if err != nil {
			return nil, fmt.Errorf("linux/%s: %w", arch, err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	return idx, nil
}

func image(arch, binary string) (v1.Image, error) {
	files, err := rootfs(binary)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(files)), nil },
		tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	if img, err = mutate.Append(img, mutate.Addendum{Layer: layer, MediaType: types.OCILayer}); err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", arch, v1.Time{Time: epoch}
	cf.Config = v1.Config{
		Entrypoint:   []string{Binary},
		User:         fmt.Sprintf("%d:%d", UID, UID),
		WorkingDir:   DataDir,
		Env:          []string{"KEYPORT_ADDR=0.0.0.0:8080", "KEYPORT_DATA_DIR=" + DataDir},
		ExposedPorts: map[string]struct{}{Port: {}},
		Volumes:      map[string]struct{}{DataDir: {}},
		Labels:       map[string]string{"org.opencontainers.image.title": "keyport"},
	}
	return mutate.ConfigFile(img, cf)
}

// entry is one file of the layer.
type entry struct {
	hdr  tar.Header
	body []byte
}

// rootfs is the image's one layer: the binary, a passwd and group naming the non-root user,
// the data directory it owns, and the CA bundle when the build machine has one.
func rootfs(binary string) ([]byte, error) {
	bin, err := os.ReadFile(binary)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	entries := []entry{
		{tar.Header{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755}, nil},
		{tar.Header{Name: "etc/passwd", Mode: 0o644}, []byte(fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nkeyport:x:%d:%d:keyport:%s:/sbin/nologin\n", UID, UID, DataDir))},
		{tar.Header{Name: "etc/group", Mode: 0o644}, []byte(fmt.Sprintf("root:x:0:\nkeyport:x:%d:\n", UID))},
		{tar.Header{Name: "data/", Typeflag: tar.TypeDir, Mode: 0o700, Uid: UID, Gid: UID}, nil},
		{tar.Header{Name: "tmp/", Typeflag: tar.TypeDir, Mode: 0o1777}, nil},
		{tar.Header{Name: "keyport", Mode: 0o755}, bin},
	}
	if ca, err := os.ReadFile(caBundle); err == nil {
		entries = append(entries,
			entry{tar.Header{Name: "etc/ssl/", Typeflag: tar.TypeDir, Mode: 0o755}, nil},
			entry{tar.Header{Name: "etc/ssl/certs/", Typeflag: tar.TypeDir, Mode: 0o755}, nil},
			entry{tar.Header{Name: "etc/ssl/certs/ca-certificates.crt", Mode: 0o644}, ca})
	}
	for _, e := range entries {
		h := e.hdr
		h.ModTime, h.Size, h.Format = epoch, int64(len(e.body)), tar.FormatPAX
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if err := tw.WriteHeader(&h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes idx as an OCI layout at dir (replacing what is there), named RefName, and a tar
// of that layout at tarPath.
func Write(idx v1.ImageIndex, dir, tarPath string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	err = p.AppendIndex(idx, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": RefName,
		"io.containerd.image.name":          "docker.io/library/" + RefName,
	}))
	if err != nil {
		return err
	}
	return tarDir(dir, tarPath)
}

// tarDir writes the files under dir, relative to it, as a tar at path.
func tarDir(dir, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname = filepath.ToSlash(rel), epoch, 0, 0, "", ""
		if d.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err == nil {
			_, err = tw.Write(body)
		}
		return err
	})
	if cerr := tw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
