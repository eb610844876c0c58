/* SPDX-License-Identifier: Apache-2.0 */
/* sha256_x86.c - SHA-256 rounds on the x86 SHA extensions (Intel since
 * Goldmont and Ice Lake, AMD since Zen), chosen at run time from CPUID; the
 * layout of the state follows Intel's "New Instructions Supporting the
 * Secure Hash Algorithm on Intel Architecture Processors" (2013). */
#include "sha256_impl.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four rounds with the schedule words w (already summed with K below). */
#define ROUNDS4(w)                                               \
    do {                                                         \
        __m128i wk_ = (w);                                       \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk_);           \
        abef = _mm_sha256rnds2_epu32(abef, cdgh,                 \
                                     _mm_shuffle_epi32(wk_, 0x0E)); \
    } while (0)

TARGET static void blocks_sha(uint32_t state[8], const unsigned char *p, size_t blocks)
{
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    /* state a..h -> the ABEF / CDGH pairs sha256rnds2 works on */
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; blocks--; p += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w[4];
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), byteswap);
        /* Group g runs rounds 4g..4g+3 on w[g % 4]; its msg2 step completes
         * the words of group g + 1, its msg1 step starts those of g + 3. */
        for (int g = 0; g < 16; g++) {
            __m128i *cur = &w[g % 4], *next = &w[(g + 1) % 4], *later = &w[(g + 3) % 4];
            ROUNDS4(_mm_add_epi32(*cur, _mm_loadu_si128((const __m128i *)&pg_sha256_k[4 * g])));
            if (g >= 3 && g <= 14) {
                *next = _mm_add_epi32(*next, _mm_alignr_epi8(*cur, w[(g + 3) % 4], 4));
                *next = _mm_sha256msg2_epu32(*next, *cur);
            }
            if (g >= 1 && g <= 12)
                *later = _mm_sha256msg1_epu32(*later, *cur);
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

pg_sha256_blocks_fn *pg_sha256_blocks_native(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
        return NULL;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 29))) /* SHA */
        return NULL;
    return blocks_sha;
}

#else

pg_sha256_blocks_fn *pg_sha256_blocks_native(void) { return NULL; }

#endif
