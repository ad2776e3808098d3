#!/usr/bin/env python3
"""Writes the modules of tests/wasm/limits.t, in the text format, to DIR:
valid modules that once were refused or compiled slowly, and modules whose
fuel must grow with the work they do.  usage: hostile.py DIR"""
import os
import sys

out = sys.argv[1]
mods = {}
# 782 constants dropped: more scratch per body byte than code
mods['drops'] = ('(module (func (export "f") (result i32)\n' + 'i32.const 1 drop\n' * 782 +
                 'i32.const 7))')
# a call returning 68 results
res = ' '.join(['i32'] * 68)
mods['multi'] = ('(module (func $g (result %s) %s)\n(func (export "f") (result %s) call $g))' %
                 (res, ' '.join('i32.const %d' % i for i in range(68)), res))
# 70,000 values on the operand stack
mods['deep'] = ('(module (func (export "f") (result i32)\n' + 'i32.const 1\n' * 70000 +
                'i32.add\n' * 69999 + '))')
# 65,000 pending reads of local 0, then 250,000 writes of local 1
mods['pending'] = ('(module (func (export "f") (local i32 i32)\n' + 'local.get 0\n' * 65000 +
                   'i32.const 0 local.set 1\n' * 250000 + 'drop\n' * 65000 + '))')
# ... and writes of a local that has pending reads of its own
mods['pending2'] = ('(module (func (export "f") (result i32) (local i32 i32)\n' +
                    'local.get 0\n' * 65000 + 'local.get 1 local.get 1 i32.const 1 i32.add '
                    'local.set 1\n' * 50000 + 'drop\n' * 115000 + 'local.get 1))')
# br_table to 1000 labels, each carrying 600 values
n, k = 600, 1000
vals = ' '.join(['i32'] * n)
body = ('block (result %s)\n' % vals) * k
body += 'i32.const 5\n' * n + 'local.get 0 br_table ' + ' '.join(str(i) for i in range(k)) + '\n'
body += ('end\n' + 'drop\n' * n + 'i32.const 1\n' * n) * (k - 1) + 'end\n'
mods['brtable'] = ('(module (func (export "f") (param i32) (result i32)\n' + body +
                   'i32.add\n' * (n - 1) + '))')
# memory.fill of 16 MiB in a loop of n iterations
mods['fill'] = ('(module (memory 256) (func (export "f") (param i32)\n'
                '(loop $l (memory.fill (i32.const 0) (i32.const 0) (i32.const 16777216))\n'
                '(br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))')
# memory.copy of 8 MiB, the same way
mods['copy'] = ('(module (memory 256) (func (export "f") (param i32)\n'
                '(loop $l (memory.copy (i32.const 0) (i32.const 8388608) (i32.const 8388608))\n'
                '(br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))')
# n calls of a function with 49,999 locals
mods['locals'] = ('(module (func $g (local %s))\n(func (export "f") (param i32)\n'
                  '(loop $l (call $g) (br_if $l (local.tee 0 (i32.sub (local.get 0) '
                  '(i32.const 1)))))))' % ' '.join(['i64'] * 49999))
for name, text in mods.items():
    with open(os.path.join(out, name + '.wat'), 'w') as f:
        f.write(text)
