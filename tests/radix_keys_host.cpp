// Host build of src_hip/radix.h's key maps for tests/test_kernel_sort_sources.py (g++, no GPU): each
// keys_<bits>_<kind> maps n element bit patterns to to_key, to_ordered and from_ordered(to_ordered).
#include "radix.h"

using namespace rp_radix;

template <int KIND, class K> static void maps(const K* in, K* key, K* ordered, K* back, long n) {
    for (long i = 0; i < n; ++i) {
        key[i] = to_key<KIND>(in[i]);
        ordered[i] = to_ordered<KIND>(in[i]);
        back[i] = from_ordered<KIND>(ordered[i]);
    }
}

#define RP_KEYS(BITS, KIND)                                                                              \
    extern "C" void keys_##BITS##_##KIND(const void* in, void* key, void* ordered, void* back, long n) {  \
        typedef uint##BITS##_t K;                                                                       \
        maps<KIND>((const K*)in, (K*)key, (K*)ordered, (K*)back, n);                                     \
    }
RP_KEYS(8, 0) RP_KEYS(8, 1) RP_KEYS(16, 0) RP_KEYS(16, 1) RP_KEYS(16, 2)
RP_KEYS(32, 0) RP_KEYS(32, 1) RP_KEYS(32, 2) RP_KEYS(64, 0) RP_KEYS(64, 1) RP_KEYS(64, 2)

extern "C" void digits_u64(const uint64_t* in, unsigned* out, long n, int shift, unsigned long long seg) {
    for (long i = 0; i < n; ++i) out[i] = digit_of(in[i], shift, seg);
}
