// Package pagebench measures every list operation's page against tenants of 1,000, 10,000 and
// 100,000 records on the embedded store (docs/benchmarks.md, "Issue 17: pages"). It holds
// only its benchmark.
package pagebench
