#!/bin/sh
# The sample's tests: the sources are there.
test -f src/shop.js
