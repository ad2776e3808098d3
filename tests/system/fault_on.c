/* Linked into zero-node-faulty only: the policy process faults on "policy allow fault". */
extern const int zero_fault_test;
const int zero_fault_test = 1;
