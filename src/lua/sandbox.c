/*
** sandbox.c: what an embedding host takes away from scripts it does not trust
** (sfl_host_options.sandbox): no processes, no C modules or bytecode, no debug library,
** and files (io, loadfile, dofile, require) only under one folder.
*/
#define _GNU_SOURCE
#include "lua/lsfl.h"

#include <lauxlib.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char root_key = 'r';   /* registry: the real path of the allowed folder */

static int denied(lua_State *L)
{
  return luaL_error(L, "%s is not available in this sandbox (the host runs apps with "
                       "sfl_host_options.sandbox)", lua_tostring(L, lua_upvalueindex(1)));
}

/* Replaces lib.name with a function that says it is not available. */
static void deny(lua_State *L, const char *lib, const char *name)
{
  if(lua_getglobal(L, lib) != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_pushfstring(L, "%s.%s", lib, name);
  lua_pushcclosure(L, denied, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* The real path of `path`, or of its folder joined with its last name when it does not
** exist yet (a file about to be written). NULL when neither resolves. */
static char *resolve(const char *path)
{
  char *real = realpath(path, NULL);
  if(real)
    return real;
  char *copy_dir = strdup(path), *copy_base = strdup(path);
  char *dir = copy_dir ? realpath(dirname(copy_dir), NULL) : NULL;
  char *joined = NULL;
  if(dir && copy_base) {
    const char *base = basename(copy_base);
    size_t n = strlen(dir) + strlen(base) + 2;
    joined = malloc(n);
    if(joined)
      snprintf(joined, n, "%s/%s", dir, base);
  }
  free(dir);
  free(copy_dir);
  free(copy_base);
  return joined;
}

/* Is `path` inside the sandbox folder? */
static int allowed(lua_State *L, const char *path)
{
  lua_rawgetp(L, LUA_REGISTRYINDEX, &root_key);
  const char *root = lua_tostring(L, -1);
  lua_pop(L, 1);
  if(!root)
    return 0;
  char *real = resolve(path);
  size_t n = strlen(root);
  int ok = real && !strncmp(real, root, n) && (real[n] == '/' || real[n] == 0);
  free(real);
  return ok;
}

int lsfl_sandbox_allows(lua_State *L, const char *path)
{
  int sandboxed = lua_rawgetp(L, LUA_REGISTRYINDEX, &root_key) != LUA_TNIL;
  lua_pop(L, 1);
  return !sandboxed || allowed(L, path);
}

static void check_file(lua_State *L, const char *fn, const char *path)
{
  if(!allowed(L, path))
    luaL_error(L, "%s: '%s' is outside the folder this sandbox allows", fn, path);
}

/* A file function whose first argument is a path: checked, then the original (upvalue 2). */
static int guarded(lua_State *L)
{
  if(lua_type(L, 1) == LUA_TSTRING)
    check_file(L, lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, 1));
  /* io.lines()/io.input() with no file name use what is already open: fine. */
  if(lua_isnone(L, 1) || lua_type(L, 1) == LUA_TSTRING || lua_isuserdata(L, 1)) {
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  return luaL_error(L, "%s: bad argument #1 (file name expected)",
                    lua_tostring(L, lua_upvalueindex(1)));
}

static void guard(lua_State *L, const char *lib, const char *name)
{
  if(lua_getglobal(L, lib) != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_pushfstring(L, "%s.%s", lib, name);
  lua_getfield(L, -2, name);
  lua_pushcclosure(L, guarded, 2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* loadfile(path [, mode [, env]]) in text mode, inside the folder. */
static int sandbox_loadfile(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  int env = !lua_isnone(L, 3);
  check_file(L, "loadfile", path);
  if(luaL_loadfilex(L, path, "t") != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if(env) {
    lua_pushvalue(L, 3);
    if(!lua_setupvalue(L, -2, 1))
      lua_pop(L, 1);
  }
  return 1;
}

/* dofile(path): the file's chunk in text mode, run. */
static int sandbox_dofile(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  check_file(L, "dofile", path);
  lua_settop(L, 1);
  if(luaL_loadfilex(L, path, "t") != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L) - 1;
}

/* load(chunk, name, mode, env) in text mode only: bytecode is not checked by Lua. */
static int load_text(lua_State *L)
{
  int with_env = lua_gettop(L) >= 4;
  lua_settop(L, 4);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushliteral(L, "t");
  if(with_env)
    lua_pushvalue(L, 4);
  lua_call(L, with_env ? 4 : 3, LUA_MULTRET);
  return lua_gettop(L) - 4;
}

/* require's searcher for Lua files in the sandbox folder (package.path is not used:
** the script could point it anywhere). */
static int search_folder(lua_State *L)
{
  const char *name = luaL_checkstring(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &root_key);
  const char *root = lua_tostring(L, -1);
  if(!root) {
    lua_pushliteral(L, "\n\tno folder is open to this sandbox");
    return 1;
  }
  const char *pattern = lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", root, root);
  const char *found = luaL_gsub(L, name, ".", "/");
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, found);
  lua_pushstring(L, pattern);
  lua_call(L, 2, 2);
  if(lua_isnil(L, -2))
    return 1;   /* the list of files tried */
  const char *file = lua_tostring(L, -2);
  if(!allowed(L, file))
    return luaL_error(L, "module '%s': '%s' leads outside the sandbox folder", name, file);
  if(luaL_loadfilex(L, file, "t") != LUA_OK)
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file,
                      lua_tostring(L, -1));
  lua_pushstring(L, file);
  return 2;
}

static void replace_searchers(lua_State *L)
{
  if(lua_getglobal(L, "package") != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "searchers");
  lua_createtable(L, 2, 0);
  lua_rawgeti(L, -2, 1);      /* package.preload, where sfl's modules are */
  lua_rawseti(L, -2, 1);
  lua_pushcfunction(L, search_folder);
  lua_rawseti(L, -2, 2);
  lua_setfield(L, -3, "searchers");
  lua_pop(L, 1);
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
}

int lsfl_sandbox(lua_State *L, const char *root)
{
  char *real = root ? realpath(root, NULL) : NULL;
  if(root && !real)
    return 1;
  lua_pushstring(L, real);
  free(real);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &root_key);
  static const char *const os_denied[] = {"execute", "exit", "remove", "rename", "tmpname",
                                          "getenv", NULL};
  for(size_t i = 0; os_denied[i]; i++)
    deny(L, "os", os_denied[i]);
  deny(L, "io", "popen");
  deny(L, "io", "tmpfile");
  deny(L, "package", "loadlib");
  lua_pushnil(L);
  lua_setglobal(L, "debug");
  static const char *const io_guarded[] = {"open", "lines", "input", "output", NULL};
  for(size_t i = 0; io_guarded[i]; i++)
    guard(L, "io", io_guarded[i]);
  lua_pushcfunction(L, sandbox_loadfile);
  lua_setglobal(L, "loadfile");
  lua_pushcfunction(L, sandbox_dofile);
  lua_setglobal(L, "dofile");
  lua_getglobal(L, "load");
  lua_pushcclosure(L, load_text, 1);
  lua_setglobal(L, "load");
  replace_searchers(L);
  return 0;
}
