#!/usr/bin/env python3
"""Compares the outputs of zero_run.c and v8_run.js (tests/wasm/diff/).
Per module, the calls are compared in order, each with its imports' log
lines, its results or its trap class.  A call after which either engine
printed "stop" (call stack exhausted, out of fuel: the point depends on the
engine's limits) ends that module's comparison.  Prints every disagreement
and a summary; exits 1 if there was one.  usage: compare.py ZERO_OUT V8_OUT"""
import sys


def modules(path):
    mods = {}
    order = []
    cur = None
    with open(path) as fh:
        for line in fh:
            line = line.rstrip('\n')
            if line.startswith('module '):
                cur = line[7:]
                order.append(cur)
                mods[cur] = []
            elif cur is not None:
                mods[cur].append(line)
    return order, mods


def calls(lines):
    """The head (before the first call) and the list of call blocks."""
    head, blocks = [], []
    for line in lines:
        if line.startswith('call '):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            head.append(line)
    return head, blocks


def first_word(lines):
    return [l.split(' ')[0] if l.split(' ')[0] in ('invalid', 'uninstantiable') else l for l in lines]


zo, zm = modules(sys.argv[1])
vo, vm = modules(sys.argv[2])
bad = 0
ncalls = 0
cut = 0
for mod in zo:
    if mod not in vm:
        print('DISAGREE %s: no V8 output' % mod)
        bad += 1
        continue
    zh, zb = calls(zm[mod])
    vh, vb = calls(vm[mod])
    if first_word(zh) != first_word(vh):
        print('DISAGREE %s: zero %s / v8 %s' % (mod, zh, vh))
        bad += 1
        continue
    for i in range(max(len(zb), len(vb))):
        z = zb[i] if i < len(zb) else ['(none)']
        v = vb[i] if i < len(vb) else ['(none)']
        if 'stop' in z or 'stop' in v:
            cut += 1
            break
        ncalls += 1
        if z != v:
            print('DISAGREE %s %s:\n  zero: %s\n  v8:   %s' % (mod, z[0], ' | '.join(z[1:])[:400],
                                                            ' | '.join(v[1:])[:400]))
            bad += 1
            break
missing = [m for m in vo if m not in zm]
for m in missing:
    print('DISAGREE %s: no Zero output' % m)
bad += len(missing)
print('compared %d modules, %d calls, %d cut short by an engine limit, %d disagreements'
      % (len(zo), ncalls, cut, bad))
sys.exit(1 if bad else 0)
