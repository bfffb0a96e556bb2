package dev.steadfast.spring;

import dev.steadfast.testkit.ModuleBoundaries;

/** This module's side of the boundaries between Steadfast's modules; the rules are {@link ModuleBoundaries}'. */
class BoundariesTest extends ModuleBoundaries {}
