package dev.steadfast.testkit;

/** This module's side of the boundaries between Steadfast's modules; the rules are {@link ModuleBoundaries}'. */
class BoundariesTest extends ModuleBoundaries {}
