#!/usr/bin/env bash
# zero manifest: build, sign, show and check a boot manifest on the host;
# a changed image, a changed signature and another key are each refused.
cd "$(dirname "$0")/../.."
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh

mkdir "$work/img"
head -c 5000 /dev/urandom >"$work/img/kern"
head -c 70000 /dev/urandom >"$work/img/a"
head -c 300 /dev/urandom >"$work/img/b"
cat >"$work/spec" <<'SPEC'
# a test manifest
kernel kern
program b image=b arg=3 deps=a caps=console,disk mem=10 threads=2 restart=yes
program a image=a arg=1 deps=- caps=- mem=20 threads=1 restart=no
SPEC
"$zero" key gen "$work/key" && "$zero" key gen "$work/other"
pub=$("$zero" key pub "$work/key")
other=$("$zero" key pub "$work/other")

"$zero" manifest --help | grep -q 'zero manifest build SPEC DIR'
check "manifest_help_describes_build" test $? -eq 0
"$zero" manifest build "$work/spec" "$work/img" -o "$work/body"
check "manifest_build_writes_a_body" test $? -eq 0 -a -s "$work/body"
"$zero" manifest sign "$work/key" "$work/body" -o "$work/signed"
check "manifest_sign_writes_a_signed_file" test $? -eq 0 -a -s "$work/signed"
out=$("$zero" manifest show "$work/signed" --key "$pub")
check "manifest_show_verifies_under_the_release_key" test $? -eq 0
echo "$out" | grep -q "signature good"
check "manifest_show_says_signature_good" test $? -eq 0
a_hash=$(b3sum --no-names "$work/img/a" 2>/dev/null || "$zero" hash --no-names "$work/img/a")
echo "$out" | grep -q "program a image=a arg=1 deps=- caps=- mem=20 threads=1 restart=no b3:$a_hash"
check "manifest_records_the_image_hash_b3sum_computes" test $? -eq 0
first=$(echo "$out" | grep '^program' | head -1 | awk '{print $2}')
check "manifest_show_lists_dependencies_first" test "$first" = a
"$zero" manifest show "$work/signed" --key "$other" >"$work/out"
check "manifest_signed_by_another_key_is_refused" test $? -eq 1
"$zero" manifest check "$work/signed" "$work/img" --key "$pub" | grep -q 'images: all match'
check "manifest_check_accepts_the_images_it_was_built_from" test $? -eq 0
printf 'x' >>"$work/img/b"
"$zero" manifest check "$work/signed" "$work/img" --key "$pub" >"$work/out"
rc=$?
check "manifest_check_names_a_changed_image" bash -c "test $rc -eq 1 && grep -q 'program b: image b differs' '$work/out'"
cp "$work/signed" "$work/bad"
flip "$work/bad" $(($(stat -c %s "$work/bad") - 1)) # the signature's last byte
"$zero" manifest show "$work/bad" --key "$pub" >"$work/out"
rc=$?
check "manifest_with_a_changed_signature_is_refused" bash -c "test $rc -eq 1 && grep -q 'bad signature' '$work/out'"
printf 'program c image=c deps=c\n' >>"$work/spec"
head -c 10 /dev/urandom >"$work/img/c"
"$zero" manifest build "$work/spec" "$work/img" -o "$work/body2" 2>"$work/err"
check "manifest_build_refuses_a_dependency_cycle" bash -c "test $? -ne 0 && grep -q cycle '$work/err'"
tap_done
