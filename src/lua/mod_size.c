/*
** mod_size.c: cdk.Size (core/lib/size.js): an amount of storage in one unit, converted
** to another only when the result is a whole number, as CDK's default rounding does.
*/
#include "lua/lsfl.h"

#include <lauxlib.h>
#include <math.h>

/* StorageUnit: label and size in bytes, smallest first. */
static const struct {
  const char *label;
  double bytes;
} units[] = {
  [SIZE_BYTES] = {"bytes", 1}, [SIZE_KIBIBYTES] = {"kibibytes", 1024},
  [SIZE_MEBIBYTES] = {"mebibytes", 1048576.0}, [SIZE_GIBIBYTES] = {"gibibytes", 1073741824.0},
  [SIZE_TEBIBYTES] = {"tebibytes", 1099511627776.0},
  [SIZE_PEBIBYTES] = {"pebibytes", 1125899906842624.0},
};

/* How JavaScript prints the amount: "100", "1.5". */
static const char *amount_text(lua_State *L, double a)
{
  if(a == floor(a) && a < 1e15)
    return lua_pushfstring(L, "%I", (lua_Integer)a);
  return lua_pushfstring(L, "%f", a);
}

lua_Integer lsfl_size_in(lua_State *L, const struct lsfl_size *s, enum lsfl_size_unit unit)
{
  double v = s->amount * (units[s->unit].bytes / units[unit].bytes);
  if(v != floor(v) || v > 9007199254740992.0)
    lsfl_error(L, "'%s %s' cannot be converted into a whole number of %s.",
               amount_text(L, s->amount), units[s->unit].label, units[unit].label);
  return (lua_Integer)v;
}

static int size_make(lua_State *L, enum lsfl_size_unit unit)
{
  lua_Number n = luaL_checknumber(L, 1);
  if(n < 0)
    return lsfl_error(L, "Storage amounts cannot be negative. Received: %s", lua_tostring(L, 1));
  struct lsfl_size *s = arena_alloc(lsfl_ctx(L)->arena, sizeof *s);
  if(!s)
    return luaL_error(L, "not enough memory");
  s->amount = n;
  s->unit = unit;
  lsfl_push(L, LSFL_SIZE, s, NULL);
  return 1;
}

static const struct lsfl_size *check_size(lua_State *L)
{
  return lsfl_check(L, 1, LSFL_BIT(SIZE), 0, "sfl.Size")->obj;
}

static int size_to(lua_State *L, enum lsfl_size_unit unit)
{
  lua_pushinteger(L, lsfl_size_in(L, check_size(L), unit));
  return 1;
}

#define SIZE_UNIT(u, name) \
  static int size_##name(lua_State *L) { return size_make(L, u); } \
  static int size_to_##name(lua_State *L) { return size_to(L, u); }
SIZE_UNIT(SIZE_BYTES, bytes)
SIZE_UNIT(SIZE_KIBIBYTES, kibibytes)
SIZE_UNIT(SIZE_MEBIBYTES, mebibytes)
SIZE_UNIT(SIZE_GIBIBYTES, gibibytes)
SIZE_UNIT(SIZE_TEBIBYTES, tebibytes)
SIZE_UNIT(SIZE_PEBIBYTES, pebibytes)

/* Size.toString(): "Size.mebibytes(100)" */
static int size_tostring(lua_State *L)
{
  const struct lsfl_size *s = check_size(L);
  lua_pushfstring(L, "Size.%s(%s)", units[s->unit].label, amount_text(L, s->amount));
  return 1;
}

static const luaL_Reg size_statics[] = {
  {"bytes", size_bytes}, {"kibibytes", size_kibibytes}, {"mebibytes", size_mebibytes},
  {"gibibytes", size_gibibytes}, {"tebibytes", size_tebibytes}, {"pebibytes", size_pebibytes},
  {NULL, NULL}
};

static const luaL_Reg size_methods[] = {
  {"to_bytes", size_to_bytes}, {"to_kibibytes", size_to_kibibytes},
  {"to_mebibytes", size_to_mebibytes}, {"to_gibibytes", size_to_gibibytes},
  {"to_tebibytes", size_to_tebibytes}, {"to_pebibytes", size_to_pebibytes},
  {"__tostring", size_tostring}, {NULL, NULL}
};

void lsfl_register_size_type(lua_State *L)
{
  lsfl_new_type(L, LSFL_SIZE, size_methods, NULL);
}

void lsfl_add_size(lua_State *L)
{
  lsfl_new_class(L, "sfl.Size", NULL, size_statics);
  lua_setfield(L, -2, "Size");
}
