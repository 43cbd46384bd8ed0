package lambdaapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// initErrorTimeout bounds the report of a failed cold start; the process exits either way.
const initErrorTimeout = 2 * time.Second

// Main is a function's whole life: Open the App for cfg, let build make the operation's
// handler from it, and serve that handler (wrapped by App.Handler under the name op) until the
// runtime stops the process. If Open or build fails, the cold start is logged, reported to the
// Runtime API's init/error endpoint, and the process exits with status 1: a function that
// cannot read its credentials never serves.
func Main(op string, cfg Config, build func(*App) (http.Handler, error)) {
	ctx := context.Background()
	app, err := Open(ctx, cfg)
	var h http.Handler
	if err == nil {
		h, err = build(app)
	}
	if err != nil {
		slog.New(slog.NewJSONHandler(os.Stdout, nil)).Error("cold start failed", "op", op, "error", err.Error())
		reportInitError(ctx, cfg.RuntimeAPI, err)
		os.Exit(1)
	}
	Start(app.Handler(op, h))
}

// initError is the Runtime API's error document.
type initError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

// initErrorType names the failure in Lambda's invoke error and metrics.
const initErrorType = "Keyport.ColdStartFailed"

// reportInitError posts err to POST /2018-06-01/runtime/init/error on the Runtime API at addr
// (host:port); it does nothing when addr is empty (not running under Lambda). Failures to
// report are ignored: the exit status already tells Lambda the init failed.
func reportInitError(ctx context.Context, addr string, err error) {
	if addr == "" {
		return
	}
	body, _ := json.Marshal(initError{ErrorMessage: err.Error(), ErrorType: initErrorType})
	ctx, cancel := context.WithTimeout(ctx, initErrorTimeout)
	defer cancel()
	url := fmt.Sprintf("http://%s/2018-06-01/runtime/init/error", addr)
	req, rerr := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if rerr != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Lambda-Runtime-Function-Error-Type", initErrorType)
	// Like aws-lambda-go's own Runtime API client: never through a configured proxy.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, rerr := client.Do(req)
	if rerr != nil {
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
