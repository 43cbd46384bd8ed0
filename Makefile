# keyport: one Makefile for the service (this module) and the CDK app (infra/, its own module).
SHELL := /bin/bash
GO ?= go
ADDR ?= 127.0.0.1:8080
# An execution count, not a duration: a duration races the fuzz coordinator's deadline in Go
# 1.26 (golang/go#75804, fixed in 1.27) and fails at random with "context deadline exceeded".
FUZZTIME ?= 30000x

.PHONY: run test vet unit fuzz bench clean synth deploy infra-test

## run: build and start the local server on $(ADDR) (embedded store + local key under .keyport/)
run:
	$(GO) build -o bin/keyport ./cmd/keyport
	./bin/keyport -addr $(ADDR)

## test: everything CI runs: vet, unit/contract/compat tests (moto_server started by the tests), short
##   fuzzing, the CDK app's template and cdk-nag tests, and every built Lambda invoked under the Runtime Interface Emulator
test: vet unit fuzz infra-test synth invoke-test image-test

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags invoke ./events/invoke/

unit:
	$(GO) test -race -count=1 ./...

## fuzz: run every fuzz target in the module for $(FUZZTIME) executions each (seeds live under testdata/)
fuzz:
	@set -e; $(GO) list -f '{{.Dir}} {{.ImportPath}}' ./... | while read -r dir pkg; do \
	  for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$target"; \
	    $(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg > /tmp/keyport-fuzz.log 2>&1 || { cat /tmp/keyport-fuzz.log; exit 1; }; \
	  done; \
	done

## bench: one create per operation through the handler, a closed-loop load of the local server, and the
##   same load on DynamoDB/KMS (moto) behind a proxy adding latency: answers/s, p99 and errors within the time budget;
##   KMS calls per 1,000 creates and per 1,000 value reads on DynamoDB/KMS (moto), data-key cache on and off;
##   every list's page of 100 at offset 0 and 90% deep in tenants of 1,000, 10,000 and 100,000 (embedded store),
##   and a K5 secret found by its exact name there, by the name index and by a scan;
##   DynamoDB (moto) list pages and counts in tenants of 1,000 and 10,000 secrets (BENCH_PAGES_MAX=100000 adds
##   100,000: about an hour, since moto reads and copies its whole table for every Query);
##   then server CPU µs per request (keyport as its own process, 16 clients, 10 s per create/read scenario)
BENCH_PAGES_MAX ?= 10000
bench:
	$(GO) test -run='^$$' -bench=. -skip='^Benchmark(Pages|NameLookup)$$' -benchmem ./functions/... ./shared/store/boltstore ./shared/seal/...
	$(GO) test -run='^$$' -bench='^Benchmark(Pages|NameLookup)$$' -timeout=60m ./functions/pagebench
	$(GO) test -run='^$$' -bench=Load -benchtime=1x ./localserver
	set -o pipefail; $(GO) test -run='^$$' -bench=FaultSlowBackend -benchtime=1x ./localserver 2>&1 | grep -v '^SDK .*WARN'
	set -o pipefail; $(GO) test -run='^$$' -bench=KMSCalls -benchtime=1x ./localserver 2>&1 | grep -v '^SDK .*WARN'
	set -o pipefail; KEYPORT_BENCH_PAGES_MAX=$(BENCH_PAGES_MAX) $(GO) test -run='^$$' -bench=Pages -benchtime=1x -timeout=90m ./shared/store/dynamostore 2>&1 | grep -v '^SDK .*WARN'
	$(GO) test -run='^$$' -bench=ServerCPU -benchtime=1x -timeout=30m ./localserver

clean:
	rm -rf bin dist infra/cdk.out

## ---- Container image (no Docker): image/, its own module (go-containerregistry) -------------
IMAGE_BUILD := CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -ldflags='-s -w'

.PHONY: image image-test

## image: bin/image (OCI layout) and bin/image.tar (OCI archive: docker load -i / podman load -i),
##   linux/amd64 and linux/arm64, the static binary on an empty base, user 65532, /data, 0.0.0.0:8080
image:
	GOARCH=amd64 $(IMAGE_BUILD) -o bin/linux-amd64/keyport ./cmd/keyport
	GOARCH=arm64 $(IMAGE_BUILD) -o bin/linux-arm64/keyport ./cmd/keyport
	cd image && $(GO) run . -amd64 ../bin/linux-amd64/keyport -arm64 ../bin/linux-arm64/keyport -out ../bin/image

## image-test: builds the image and reads it back (platforms, entry point, user, port, static binaries, start)
image-test:
	cd image && $(GO) vet ./... && $(GO) test -count=1 ./...

## ---- Lambda: binaries, events, SAM, invoke harness ----------------------------------------
# Every Lambda runs one multi-call binary, dist/lambda/bootstrap, built from ./functions/bootstrap;
# the stack tells each function which it is (KEYPORT_FUNCTION). The function names come from the
# operations table (keyport/functions), listed by the bootstrap itself.
FUNCTIONS = $(shell $(GO) run ./functions/bootstrap -list)
# Static (no cgo), no RPC shim (provided.al2023 speaks the Runtime API), stripped, and
# reproducible: no file paths, no VCS stamp, empty build id.
LAMBDA_BUILD := CGO_ENABLED=0 GOOS=linux $(GO) build -tags lambda.norpc -trimpath -buildvcs=false -ldflags='-s -w -buildid='
# The invoke harness runs host-arch builds (same flags) from a template synthesized over them,
# kept apart from dist/ and infra/cdk.out, which hold what ships.
INVOKE_DIR := dist/.invoke
SAM_TEMPLATE := infra/cdk.out/KeyportStack.template.json
SAM_PORT ?= 3000
SAM_FLAGS ?=

.PHONY: build events sam-invoke sam-api invoke-test sam-check-fn invoke-build invoke-synth

## build: dist/lambda/bootstrap, the one binary every Lambda runs (provided.al2023, linux/arm64, static, stripped, reproducible)
build:
	@echo "build dist/lambda/bootstrap (linux/arm64)"
	@GOARCH=arm64 $(LAMBDA_BUILD) -o dist/lambda/bootstrap ./functions/bootstrap

## events: write events/<function>.json for a function that has none (rendered from its rows' Example),
##   then dist/events/<function>.json: each event of events/ signed now with the development credentials
events:
	$(GO) run ./events/write -dir events
	@mkdir -p dist/events
	$(GO) build -o dist/.tools/sign ./events/sign
	@set -e; for fn in $(FUNCTIONS); do dist/.tools/sign -in events/$$fn.json > dist/events/$$fn.json; done
	@echo "signed events in dist/events/ (use them within 5 minutes: Tencent refuses older signatures)"

## ---- CDK: synth, deploy, tests -------------------------------------------------------------
# The aws-cdk CLI from the npm registry, pinned: 2.1148.1 reads the cloud assembly schema that
# aws-cdk-lib 2.270.0 writes. Only deploy needs it; synth runs the Go app directly.
CDK := CDK_DISABLE_CLI_TELEMETRY=true npx --yes aws-cdk@2.1148.1

## synth: infra/cdk.out from the arm64 binaries (Go + node only; no CDK CLI), with the asset metadata SAM reads
synth: build
	cd infra && KEYPORT_DIST_DIR=$(CURDIR)/dist/lambda CDK_OUTDIR=$(CURDIR)/infra/cdk.out $(GO) run .

## deploy: deploy KeyportStack with the pinned CDK CLI (AWS credentials and a one-time
##   `cd infra && npx aws-cdk@2.1148.1 bootstrap` needed); then fill the credentials secret (docs/deploy.md)
deploy: build
	cd infra && KEYPORT_DIST_DIR=$(CURDIR)/dist/lambda $(CDK) deploy KeyportStack --require-approval broadening

## infra-test: the CDK app's own module: template assertions and cdk-nag
infra-test:
	cd infra && $(GO) vet ./... && $(GO) test -count=1 ./...

sam-check-fn:
	@case " $(FUNCTIONS) " in *" $(FN) "*) ;; *) echo "usage: make sam-invoke FN=<function>, one of: $(FUNCTIONS)" >&2; exit 2;; esac

## sam-invoke: FN=<function>: run one Lambda in Docker on its freshly signed event (SAM CLI + Docker;
##   the template's table/key/secret references need real values: SAM_FLAGS='--env-vars events/sam/env.example.json' after editing it)
sam-invoke: sam-check-fn synth events
	sam local invoke -t $(SAM_TEMPLATE) -e dist/events/$(FN).json $(SAM_FLAGS) $(FN)

## sam-api: serve the HTTP APIs of the template on 127.0.0.1:$(SAM_PORT) through SAM (SAM CLI + Docker;
##   SAM merges every API onto one port, so only one of the two Tencent functions answers POST /)
sam-api: synth
	sam local start-api -t $(SAM_TEMPLATE) --host 127.0.0.1 --port $(SAM_PORT) $(SAM_FLAGS)

# invoke-build: the harness's host-arch binaries, built exactly as `build` builds the arm64 ones.
invoke-build:
	@GOARCH=$$($(GO) env GOHOSTARCH) $(LAMBDA_BUILD) -o $(INVOKE_DIR)/dist/lambda/bootstrap ./functions/bootstrap

invoke-synth: invoke-build
	cd infra && KEYPORT_DIST_DIR=$(CURDIR)/$(INVOKE_DIR)/dist/lambda CDK_OUTDIR=$(CURDIR)/$(INVOKE_DIR)/cdk.out $(GO) run .

## invoke-test: what `sam local invoke` does, without Docker or SAM: every built bootstrap, started from the
##   synthesized template under AWS's Runtime Interface Emulator (`make rie`) with moto_server, answers its event from events/
invoke-test: build invoke-synth
	KEYPORT_INVOKE_CDK_OUT=$(CURDIR)/$(INVOKE_DIR)/cdk.out KEYPORT_INVOKE_SHIPPED=$(CURDIR)/dist/lambda KEYPORT_RIE=$(RIE) \
	  $(GO) test -tags invoke -count=1 -v -run . ./events/invoke/

## openstack-tools: OpenTofu and terraform-provider-openstack, built once from the Go module proxy at pinned
##   versions into $(KEYPORT_CACHE) (outside the checkout, reused) for localserver's TestOpenTofuSecretLifecycle
KEYPORT_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/keyport
TOFU := $(KEYPORT_CACHE)/tofu-v1.10.6
TF_PROVIDER_OPENSTACK := $(KEYPORT_CACHE)/terraform-provider-openstack-v3.4.0/terraform-provider-openstack
.PHONY: openstack-tools
openstack-tools: $(TOFU) $(TF_PROVIDER_OPENSTACK)
# go install refuses OpenTofu's module (its go.mod has a replace): build from a copy of the downloaded module.
$(TOFU):
	@mkdir -p $(dir $@)
	@set -e; src=$$(cd / && $(GO) mod download -json github.com/opentofu/opentofu@v1.10.6 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	  tmp=$$(mktemp -d); cp -r "$$src"/. "$$tmp"; chmod -R u+w "$$tmp"; \
	  (cd "$$tmp" && $(GO) build -trimpath -o $@.tmp ./cmd/tofu); rm -rf "$$tmp"; mv $@.tmp $@
$(TF_PROVIDER_OPENSTACK):
	@mkdir -p $(dir $@)
	cd / && GOBIN=$(dir $@) $(GO) install -trimpath github.com/terraform-provider-openstack/terraform-provider-openstack/v3@v3.4.0

## rie: AWS's Lambda Runtime Interface Emulator (cmd/aws-lambda-rie), built once from the Go module proxy at a
##   pinned version into $(KEYPORT_CACHE) (outside the checkout, reused) for invoke-test. The module has no
##   tag the proxy serves (v1.23.0 is not), so the pin is a pseudo-version of its main branch.
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
RIE := $(KEYPORT_CACHE)/aws-lambda-rie-$(RIE_VERSION)/aws-lambda-rie
.PHONY: rie
rie: $(RIE)
invoke-test: $(RIE)
$(RIE):
	@mkdir -p $(dir $@)
	cd / && GOBIN=$(dir $@) $(GO) install -trimpath github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)
