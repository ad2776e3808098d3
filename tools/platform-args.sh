#!/bin/sh
# Prints the make variables that select one build variant.
case "$1" in
hosted-san) echo "PLATFORM=hosted SAN=1" ;;
*) echo "PLATFORM=$1" ;;
esac
