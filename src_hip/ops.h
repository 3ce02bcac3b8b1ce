// Every elementwise op of rdnarray/_core/ops.py as a struct rp::op::<name> with a static `f`.
#ifndef RP_OPS_H
#define RP_OPS_H

#include "prelude.h"
#include "complex.h"
#include "ops_arith.h"
#include "ops_math.h"

#endif  // RP_OPS_H
