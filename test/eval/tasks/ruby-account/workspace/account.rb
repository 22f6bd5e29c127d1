# A bank account that keeps its balance (in cents) and its history consistent.
class Account
  # Every error an account raises on purpose.
  class Error < StandardError; end
  # A withdrawal or transfer beyond the overdraft limit.
  class InsufficientFunds < Error; end
  # An operation on a closed account.
  class Closed < Error; end

  def initialize(overdraft_limit: 0)
    raise NotImplementedError, 'Account#initialize is not implemented yet'
  end

  def balance
    raise NotImplementedError, 'Account#balance is not implemented yet'
  end

  def history
    raise NotImplementedError, 'Account#history is not implemented yet'
  end

  def deposit(amount)
    raise NotImplementedError, 'Account#deposit is not implemented yet'
  end

  def withdraw(amount)
    raise NotImplementedError, 'Account#withdraw is not implemented yet'
  end

  def transfer(amount, to:)
    raise NotImplementedError, 'Account#transfer is not implemented yet'
  end

  def close
    raise NotImplementedError, 'Account#close is not implemented yet'
  end

  def closed?
    raise NotImplementedError, 'Account#closed? is not implemented yet'
  end
end
