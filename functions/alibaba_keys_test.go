package functions

import (
	"testing"

	"keyport/shared/operation"
)

// TestAlibabaKeyUse pins who may touch values among the Alibaba operations: GetSecretValue alone
// opens (kms:Decrypt), and only CreateSecret and UpdateSecret seal (kms:GenerateDataKey). Every
// other row's role then has no KMS permission at all.
func TestAlibabaKeyUse(t *testing.T) {
	opens := map[string]bool{"alibaba.GetSecretValue": true}
	seals := map[string]bool{"alibaba.CreateSecret": true, "alibaba.UpdateSecret": true}
	n := 0
	for _, op := range Operations {
		if op.Dialect != operation.Alibaba {
			continue
		}
		n++
		if op.Opens != opens[op.Name] || op.Seals != seals[op.Name] {
			t.Errorf("%s: got Opens %v Seals %v, want %v %v", op.Name, op.Opens, op.Seals, opens[op.Name], seals[op.Name])
		}
	}
	if n != 7 {
		t.Errorf("got %d Alibaba operations, want 7", n)
	}
}
